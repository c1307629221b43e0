using OtelLab.AppHost.Lab;
using OtelLab.Scenarios;
using OtelLab.Scenarios.Definition;
using OtelLab.Tests.Sim.ApiServer;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios;

/// <summary>A running lab serves its cluster's API and writes a kubeconfig for it: kubectl sees the pods the kubelets run.</summary>
[Trait("Category", "Lab")]
public sealed class SimLabApiServerTests
{
    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Kubectl_with_the_labs_kubeconfig_sees_the_collector_pods_running()
    {
        ScenarioRun.SkipUnlessRunnable();
        var ct = TestContext.Current.CancellationToken;
        var scenario = ScenarioLoader.Load(RepoPaths.Scenario("payments-fixed"));
        await using var lab = SimLab.Create(LabComposition.Options(scenario with { Load = scenario.Load with { Duration = TimeSpan.Zero } }) with { ReadyTimeout = TimeSpan.FromMinutes(4) });
        Assert.True(await lab.StartAsync(ct));
        using var scratch = new TempDirectory();

        var (code, stdout, stderr) = await Kubectl.RunAsync(lab.KubeconfigPath!, scratch.Path, Kubectl.Default,
            "get", "pods", "-n", "observability", "-l", "app.kubernetes.io/instance=observability.otel-gateway", "--no-headers");

        Assert.True(code == 0, stderr);
        Assert.StartsWith(lab.WorkDirectory, lab.KubeconfigPath, StringComparison.Ordinal);
        var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(("1/1", "Running"), (r[1], r[2])));
    }
}
