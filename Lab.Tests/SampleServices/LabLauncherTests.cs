using System.Globalization;
using System.Net;
using OtelLab.Sim.Kubelet;
using OtelLab.Sim.Kubelet.Internal;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.SampleServices;

/// <summary>
/// The images' lab-only launchers (SampleServices/runtime) when the lab is dead but not yet reaped: its pid still
/// exists (a zombie), so only the re-parenting of its children tells. Process tree: test → sh that starts the "lab"
/// and then execs <c>sleep</c> (which never reaps) → "lab" sh (LAB_PID=$$) → the service from images.json.
/// </summary>
[Collection(nameof(SimulatedNetworkCollection))]
[Trait("Category", "Lab")]
public sealed class LabLauncherTests
{
    // Same bound as ProcessContainerRuntimeLabDeathTests: a check a second plus scheduling slack.
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(4);

    private const string Tree = "sh -c 'export LAB_PID=$$; \"$@\" & wait' lab \"$@\" & echo \"lab=$!\"; exec sleep 600";

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData("checkout")]
    [InlineData("payments")]
    [InlineData("ledger")]
    public async Task A_service_exits_when_its_lab_parent_dies_even_while_the_dead_lab_is_an_unreaped_zombie(string service)
    {
        SampleServiceChain.SkipUnlessRunnable();
        var ct = TestContext.Current.CancellationToken;
        var services = Path.Combine(RepoPaths.Root, "SampleServices");
        var command = ProcessImageCatalog.Load(services).Find($"otel-lab/{service}:1.0.0")!.Command;
        var address = TestAddressSlot.NextProcessAddress();

        // Given the service started by a "lab" process whose own parent will not reap it
        using var outer = SampleServiceProcess.Start(service, "sh", ["-c", Tree, "outer", .. command], services,
            new Dictionary<string, string> { ["BIND_ADDRESS"] = address.ToString(), ["PORT"] = SampleServiceChain.ServicePort.ToString(CultureInfo.InvariantCulture) }, SampleServiceChain.Url(address));
        Assert.True(await Eventually.WaitAsync(() => HealthyAsync(outer.BaseUrl, ct), TimeSpan.FromSeconds(60), ct), outer.Output);
        var labPid = int.Parse(outer.Output.Split('\n').First(l => l.StartsWith("lab=", StringComparison.Ordinal))[4..].Trim(), CultureInfo.InvariantCulture);
        var tree = ProcessSignals.Tree(labPid);
        Assert.Equal(2, tree.Count); // the lab and the service
        var (lab, app) = (tree[0], tree[1]);
        try
        {
            // When the lab is SIGKILLed
            Assert.True(ProcessSignals.Send(lab, ProcessSignals.SigKill));

            // Then it stays a zombie (its pid exists: kill(pid, 0) succeeds) and yet the service exits within the bound
            Assert.True(await Eventually.WaitAsync(() => Task.FromResult(!ProcessSignals.IsAlive(lab)), TimeSpan.FromSeconds(10), ct));
            Assert.NotEmpty(ProcessSignals.Tree(lab.Pid));
            Assert.True(await Eventually.WaitAsync(() => Task.FromResult(!ProcessSignals.IsAlive(app)), ExitBound, ct), $"{service} ({app.Pid}) still alive\n{outer.Output}");
        }
        finally
        {
            ProcessSignals.Send(app, ProcessSignals.SigKill); // only when the assertion failed: no orphan of the test itself
        }
    }

    private static async Task<bool> HealthyAsync(string baseUrl, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await http.GetAsync(baseUrl + "/health", ct);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
