using OtelLab.AppHost.Lab;
using OtelLab.Scenarios;
using OtelLab.Scenarios.Definition;
using OtelLab.Sim.Networking;
using OtelLab.Tests.Scenarios;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.ApiServer.Streams;

/// <summary>payments-fixed up on the whole lab (no load), shared by the tests that drive the guide's kubectl commands against it.</summary>
public sealed class GuideLabFixture : IAsyncLifetime
{
    private readonly TempDirectory _scratch = new();

    public SimLab Lab { get; private set; } = null!;

    /// <summary>kubectl's HOME and caches for these tests.</summary>
    public string Scratch => _scratch.Path;

    public async ValueTask InitializeAsync()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            return;
        }

        var scenario = ScenarioLoader.Load(RepoPaths.Scenario("payments-fixed"));
        Lab = SimLab.Create(LabComposition.Options(scenario with { Load = scenario.Load with { Duration = TimeSpan.Zero } }) with { ReadyTimeout = TimeSpan.FromMinutes(4) });
        Assert.True(await Lab.StartAsync(TestContext.Current.CancellationToken), string.Join("\n", Lab.Graph.Snapshots()));
    }

    public Task<(int ExitCode, string Out, string Err)> KubectlAsync(params string[] args) => KubectlVersionAsync(Kubectl.Default, args);

    public Task<(int ExitCode, string Out, string Err)> KubectlVersionAsync(string binary, params string[] args)
    {
        ScenarioRun.SkipUnlessRunnable();
        return Kubectl.RunAsync(Lab.KubeconfigPath!, Scratch, binary, args);
    }

    public KubectlSession Session(string binary, params string[] args)
    {
        ScenarioRun.SkipUnlessRunnable();
        return KubectlSession.Start(Lab.KubeconfigPath!, Scratch, binary, args);
    }

    public async ValueTask DisposeAsync()
    {
        if (Lab is not null)
        {
            await Lab.DisposeAsync();
        }

        _scratch.Dispose();
    }
}
