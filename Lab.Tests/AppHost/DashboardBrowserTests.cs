using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OtelLab.AppHost.LabPage;
using OtelLab.AppHost.Lab;
using OtelLab.Scenarios;
using OtelLab.Scenarios.Definition;
using OtelLab.Scenarios.Monitoring;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.AppHost;

/// <summary>
/// The web dashboard over a running lab (payments scenario): its JSON endpoints over HTTP, and its page in a real
/// browser — Debian's chromium driven by Microsoft.Playwright (installed by .ci/install.sh).
/// </summary>
[Trait("Category", "Lab")]
public sealed class DashboardBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    private static void SkipWithoutLabOrChromium()
    {
        LabCliRun.SkipWithoutLoopbackSupport();
        if (!File.Exists(Chromium))
        {
            Assert.Skip($"{Chromium} is not installed (apt-get install chromium; .ci/install.sh does it)");
        }
    }

    private static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });

    private static async Task<IPage> OpenAsync(IBrowser browser, Uri address)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1600 } });
        await page.GotoAsync(address.ToString());
        return page;
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task The_page_shows_the_running_labs_resources_logs_and_the_gateway_findings()
    {
        SkipWithoutLabOrChromium();

        // Given the payments lab up, and the dashboard on a free loopback port
        var ct = TestContext.Current.CancellationToken;
        await using var lab = SimLab.Create(LabComposition.Options(ScenarioLoader.Load(RepoPaths.Scenario("payments"))));
        Assert.True(await lab.StartAsync(ct), string.Join("\n", lab.Graph.Snapshots()));
        var monitor = new LabMonitor(lab);
        await using var dashboard = await LabPageServer.StartAsync(monitor, 0, ct);
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(dashboard.Address.Host)));

        // When a browser opens it
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await OpenAsync(browser, dashboard.Address);

        // Then it shows every resource of the graph, the start-up time, the pods and the gateway's findings with evidence
        var resources = page.Locator("#resources tbody tr");
        await Assertions.Expect(resources).ToHaveCountAsync(lab.Graph.Snapshots().Count);
        await Assertions.Expect(page.Locator("#resources")).ToContainTextAsync("opentelemetry-operator");
        await Assertions.Expect(page.Locator("#startup")).ToContainTextAsync("ready in");
        await Assertions.Expect(page.Locator("#pods")).ToContainTextAsync("payments/checkout-");
        await Assertions.Expect(page.Locator("#pods")).ToContainTextAsync($"farm/* (target farm, {lab.Scenario.Targets.Count} pods)"); // folded: one row, not one per target
        await Assertions.Expect(page.Locator("#pods tbody tr")).ToHaveCountAsync(lab.Cluster!.List<k8s.Models.V1Pod>().Count(p => p.Metadata.NamespaceProperty != "farm") + 1);
        await Assertions.Expect(page.Locator("#findings")).ToContainTextAsync("workload-without-pods");
        await Assertions.Expect(page.Locator("#findings")).ToContainTextAsync("serviceaccount \"otel-gateway-collector\" not found");
        await Assertions.Expect(page.Locator("#shards")).ToContainTextAsync("no data");
        await Assertions.Expect(page.Locator("#spans svg")).ToHaveCountAsync(1);

        // And clicking a resource shows its log
        await page.Locator("#resources tbody tr", new() { HasText = "vault" }).First.ClickAsync();
        await Assertions.Expect(page.Locator("#logs")).ToContainTextAsync("scenario vault: block applied");

        // And at 1280 px (a laptop) nothing overflows sideways
        await page.SetViewportSizeAsync(1280, 1600);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 1280"), "the lab page overflows 1280 px");

        var shot = Path.Combine(RepoPaths.Root, "artifacts", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        TestContext.Current.SendDiagnosticMessage($"dashboard screenshot: {shot}");
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task The_pipeline_panels_show_shards_spans_per_tier_send_failures_and_keep_rates_of_payments_fixed()
    {
        SkipWithoutLabOrChromium();

        // Given payments-fixed up with the AppHost's pipeline telemetry, sampled every second as the live views do
        var ct = TestContext.Current.CancellationToken;
        await using var lab = SimLab.Create(LabComposition.Options(ScenarioLoader.Load(RepoPaths.Scenario("payments-fixed"))));
        Assert.True(await lab.StartAsync(ct), string.Join("\n", lab.Graph.Snapshots()));
        var monitor = new LabMonitor(lab, LabComposition.TelemetryFor(lab));
        using var sampling = new Timer(_ => monitor.Sample(), null, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        await using var dashboard = await LabPageServer.StartAsync(monitor, 0, ct);

        // When a browser opens the dashboard
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await OpenAsync(browser, dashboard.Address);

        // Then (the page refreshes every 2 s; keep rates appear after the gateways' decision_wait) the TA's shards per
        // prometheus replica with their series and last scrape, the three tiers with spans/s and send failures, and
        // keep rates by class with their counts
        var wait = new LocatorAssertionsToContainTextOptions { Timeout = 90_000 };
        await Assertions.Expect(page.Locator("#shards svg")).ToContainTextAsync("otel-prometheus-collector-0", wait);
        await Assertions.Expect(page.Locator("#shard-detail")).ToContainTextAsync(new Regex(@"otel-prometheus-collector-\d: [1-9]\d* targets, [1-9]\d* series, last scrape \d"), wait);
        await Assertions.Expect(page.Locator("#tiers tbody tr")).ToHaveCountAsync(3, new() { Timeout = 90_000 });
        await Assertions.Expect(page.Locator("#tiers")).ToContainTextAsync("otel-agent (daemonset)", wait);
        await Assertions.Expect(page.Locator("#tiers")).ToContainTextAsync("otel-gateway (deployment)", wait);
        await Assertions.Expect(page.Locator("#tiers")).ToContainTextAsync("otel-prometheus (statefulset)", wait);
        await Assertions.Expect(page.Locator("#tiers tbody tr", new() { HasText = "otel-agent" }).Locator("td").Nth(1)).ToHaveTextAsync(new Regex(@"^(?!0\.0$)\d+\.\d$"), new() { Timeout = 90_000 });
        await Assertions.Expect(page.Locator("#keep svg")).ToContainTextAsync(new Regex(@"baseline \(\d+/[1-9]\d*\)"), wait);
        await Assertions.Expect(page.Locator("#keep svg")).ToContainTextAsync("error (", wait);
        await Assertions.Expect(page.Locator("#keep svg")).ToContainTextAsync("slow (", wait);
        await Assertions.Expect(page.Locator("#spans svg")).ToContainTextAsync("otel-gateway (deployment) spans/s", wait);

        var shot = Path.Combine(RepoPaths.Root, "artifacts", "dashboard-pipeline.png");
        Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        TestContext.Current.SendDiagnosticMessage($"dashboard screenshot: {shot}");
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task The_json_endpoints_answer_from_the_running_lab()
    {
        LabCliRun.SkipWithoutLoopbackSupport();

        // Given the payments lab up with its dashboard
        var ct = TestContext.Current.CancellationToken;
        await using var lab = SimLab.Create(LabComposition.Options(ScenarioLoader.Load(RepoPaths.Scenario("payments"))));
        Assert.True(await lab.StartAsync(ct));
        await using var dashboard = await LabPageServer.StartAsync(new LabMonitor(lab), 0, ct);
        using var http = new HttpClient { BaseAddress = dashboard.Address };

        // When each endpoint is read
        using var resources = JsonDocument.Parse(await http.GetStringAsync("/api/resources", ct));
        using var backends = JsonDocument.Parse(await http.GetStringAsync("/api/backends", ct));
        using var pipeline = JsonDocument.Parse(await http.GetStringAsync("/api/pipeline", ct));
        using var findings = JsonDocument.Parse(await http.GetStringAsync("/api/findings", ct));
        using var logs = JsonDocument.Parse(await http.GetStringAsync("/api/logs/dynatrace", ct));
        using var missing = await http.GetAsync("/api/logs/nope", ct);

        // Then they carry the lab's state: resources running, both backends, the findings, a resource's log, 404 for an unknown one
        Assert.All(resources.RootElement.GetProperty("resources").EnumerateArray(), r => Assert.Equal("running", r.GetProperty("state").GetString()));
        Assert.Equal(["dynatrace", "datadog"], backends.RootElement.GetProperty("backends").EnumerateArray().Select(b => b.GetProperty("backend").GetString()));
        Assert.Equal(JsonValueKind.Array, pipeline.RootElement.GetProperty("history").ValueKind);
        Assert.Contains(findings.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "serviceaccount-missing");
        Assert.Contains(logs.RootElement.GetProperty("lines").EnumerateArray(), l => l.GetString()!.Contains("https://abc12345.live.dynatrace.com →", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
