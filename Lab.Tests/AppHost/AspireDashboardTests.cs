using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OtelLab.Sim.Kubelet.Internal;
using OtelLab.Tests.SampleServices;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.AppHost;

/// <summary>
/// The real Aspire dashboard of a real <c>otel-lab up</c> process (as <c>dotnet run --project AppHost</c> starts it),
/// in Debian's chromium through Microsoft.Playwright: the lab's resources listed with their states, a checkout trace
/// the mock backends stored on the Traces page; then one SIGTERM leaves nothing behind — not the lab, not DCP, not
/// the dashboard, not a sample service — within 10 s.
/// </summary>
[Trait("Category", "Lab")]
public sealed partial class AspireDashboardTests
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly TimeSpan ReadyBound = TimeSpan.FromSeconds(120);

    // The pipeline's own latency chain before a trace reaches the backends (SDK batch 5 s + agent batch 5 s +
    // decision_wait 10 s + tick 1 s + gateway batch 5 s + Datadog flush 5 s = 31 s of lab time, 3.1 s at payments-fixed's
    // timeScale 10, more when the lab lowers its timeScale on a loaded machine), then the 2 s forward tick, with margin.
    private static readonly float TraceBoundMs = 90_000;

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    [Trait("Speed", "Slow")]
    public async Task The_dashboard_shows_the_labs_resources_and_a_checkout_trace_the_backends_stored_and_SIGTERM_leaves_nothing_behind()
    {
        LabCliRun.SkipWithoutLoopbackSupport();
        if (!File.Exists(Chromium))
        {
            Assert.Skip($"{Chromium} is not installed (apt-get install chromium; .ci/install.sh does it)");
        }

        var ct = TestContext.Current.CancellationToken;

        // Given the lab up with its dashboard on free loopback ports
        string[] args = [Path.Combine(AppContext.BaseDirectory, "otel-lab.dll"), "up", "--scenario", RepoPaths.Scenario("payments-fixed"), "--targets", "30", "--port", "0"];
        using var lab = SampleServiceProcess.Start("otel-lab", "dotnet", args, RepoPaths.Root, new Dictionary<string, string>(), baseUrl: "");
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(lab.Output.Contains("Lab ready in", StringComparison.Ordinal) || lab.HasExited), ReadyBound, ct), lab.Describe($"the lab was not ready within {ReadyBound.TotalSeconds:0} s"));
        Assert.False(lab.HasExited, lab.Describe("the lab ended before it was ready"));
        var dashboard = DashboardUrl().Match(lab.Output).Groups[1].Value;
        Assert.StartsWith("http://127.0.0.1:", dashboard, StringComparison.Ordinal);

        // When a browser opens its resources page
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1200 } });
        await page.GotoAsync(dashboard);

        // Then every lab component is listed Running, with the collectors and the target farm
        var wait = new LocatorAssertionsToContainTextOptions { Timeout = 60_000 };
        foreach (var name in new[] { "cluster", "cluster-dns", "kube-proxy", "vault", "dynatrace", "datadog", "opentelemetry-operator", "node-agents", "manifests", "workloads", "load", "otel-gateway", "target-farm" })
        {
            await Assertions.Expect(page.GetByText(name, new() { Exact = true }).First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        }

        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Running", wait);
        await ScreenshotAsync(page, "aspire-dashboard.png");

        // And the dashboard's telemetry API lists the lab's own metrics and checkout as each backend stored it
        // (the lab forwards what the mock backends stored on its own tick, and the lab's metrics on their export
        // interval: wait for both, so a slow pipeline and a page that does not show what the dashboard holds are
        // told apart)
        using var http = new HttpClient();
        var sources = new List<JsonElement>();
        var listed = await Eventually.WaitAsync(async () =>
        {
            using var telemetry = JsonDocument.Parse(await http.GetStringAsync(dashboard.TrimEnd('/') + "/api/telemetry/resources", ct));
            sources = [.. telemetry.RootElement.EnumerateArray().Select(e => e.Clone())];
            return sources.Any(r => r.GetProperty("name").GetString() == "lab" && r.GetProperty("hasMetrics").GetBoolean())
                && sources.Any(r => r.GetProperty("name").GetString() == "checkout" && r.TryGetProperty("instanceId", out var id)
                    && id.GetString() is "dynatrace" or "datadog" && r.GetProperty("hasTraces").GetBoolean());
        }, TimeSpan.FromMilliseconds(TraceBoundMs), ct);
        Assert.True(listed, lab.Describe($"the dashboard's telemetry API did not list the lab's metrics and checkout's traces from a backend within {TraceBoundMs / 1000:0} s") + "\nits resources: " + string.Join(", ", sources.Select(r => r.GetRawText())));

        // And the Traces page of checkout as Dynatrace stored it shows its traces (forwarded, marked with the backend).
        // The page is filtered to that resource: unfiltered, its grid shows the oldest traces first, and fraud-score's own
        // traffic (it starts before the load reaches checkout) can fill every visible row.
        await page.GotoAsync(dashboard.TrimEnd('/') + "/traces/resource/checkout-dynatrace");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync(new Regex("POST /checkout"), new() { Timeout = 30_000 });
        await ScreenshotAsync(page, "aspire-traces.png");

        // When SIGTERM arrives once
        var helpers = DcpProcesses(lab.Pid);
        Assert.NotEmpty(helpers);
        var tree = ProcessSignals.Tree(lab.Pid);
        Assert.True(ProcessSignals.Send(tree[0], ProcessSignals.SigTerm));

        // Then within 10 s the lab has exited 0 and DCP, the dashboard and the sample services are gone
        Assert.True(await lab.ExitsWithinAsync(TimeSpan.FromSeconds(10), ct), lab.Describe("the lab did not exit within 10 s of SIGTERM"));
        Assert.True(lab.ExitCode == 0, lab.Describe("the lab did not exit 0 after one SIGTERM"));
        Assert.True(
            await Eventually.WaitAsync(() => Task.FromResult(tree.Skip(1).Concat(helpers).All(p => !ProcessSignals.IsAlive(p))), TimeSpan.FromSeconds(10), ct),
            "a process outlived the lab by 10 s: " + string.Join(", ", tree.Skip(1).Concat(helpers).Where(ProcessSignals.IsAlive).Select(p => p.Pid)));
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        var shot = Path.Combine(RepoPaths.Root, "artifacts", name);
        Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        TestContext.Current.SendDiagnosticMessage($"screenshot: {shot}");
    }

    // DCP runs detached (not in the lab's process tree) and watches the lab with --monitor <pid>; the dashboard is
    // DCP's child. Found through /proc: every process whose command line names the lab's pid as the one it monitors,
    // and their trees.
    private static List<ProcessSignals.ProcessIdentity> DcpProcesses(int labPid)
    {
        var found = new List<ProcessSignals.ProcessIdentity>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                var at = Array.IndexOf(args, "--monitor");
                if (at >= 0 && at + 1 < args.Length && args[at + 1] == labPid.ToString(CultureInfo.InvariantCulture))
                {
                    found.AddRange(ProcessSignals.Tree(pid));
                }
            }
            catch (IOException)
            {
                // the process ended while we looked
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    [GeneratedRegex(@"Aspire dashboard (http://127\.0\.0\.1:\d+)")]
    private static partial Regex DashboardUrl();
}
