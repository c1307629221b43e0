using System.Collections.Concurrent;
using OtelLab.AppHost.Lab;
using OtelLab.Scenarios;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Checks.Guide;
using OtelLab.Scenarios.Definition;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios.Checks.Guide;

/// <summary>
/// One lab run per scenario (≈ 1 min each), shared by every assertion of the class: the lab comes up with the AppHost's
/// runtimes, the guide-defect checks judge it, the lab goes down. Runs happen one at a time, on first use.
/// </summary>
public sealed class GuideScenarioRuns : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<GuideRun>>> _runs = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _oneLabAtATime = new(1, 1);

    public static IReadOnlyList<IScenarioCheck> Checks { get; } =
        [new BackendDataCheck(), new VendorCredentialsCheck(), new DynatraceMetricRejectionsCheck(), new GatewayTraceSplitCheck(), new DeploymentNameCheck(), new StartupBudgetCheck(), new ShardingCheck(),
            new GitOpsChangeGateCheck()];

    public Task<GuideRun> RunAsync(string scenario) => _runs.GetOrAdd(scenario, s => new Lazy<Task<GuideRun>>(() => RunCoreAsync(s))).Value;

    public void Dispose() => _oneLabAtATime.Dispose();

    private async Task<GuideRun> RunCoreAsync(string name)
    {
        await _oneLabAtATime.WaitAsync().ConfigureAwait(false);
        try
        {
            var scenario = ScenarioLoader.Load(RepoPaths.Scenario(name));
            // Generous readiness: on a shared 2-core machine the Node agent's init copy (≈ 120 MB) can take over a minute.
            await using var lab = SimLab.Create(LabComposition.Options(scenario) with { ReadyTimeout = TimeSpan.FromMinutes(4) });
            var up = await lab.StartAsync().ConfigureAwait(false);
            var context = new CheckContext { Scenario = scenario, Manifests = lab.Manifests, Lab = lab, DataWithin = TimeSpan.FromSeconds(20) };
            var result = await ScenarioRunner.CheckAsync(context, Checks, TimeProvider.System.GetUtcNow(), TimeProvider.System, CancellationToken.None).ConfigureAwait(false);
            return new GuideRun(result, up, string.Join("\n", lab.Graph.Snapshots().Select(s => $"{s.Name} {s.State} {s.Reason}")),
                lab.VaultSetup?.Generated.Select(g => g.Value).ToList() ?? []);
        }
        finally
        {
            _oneLabAtATime.Release();
        }
    }
}

/// <summary>A finished run: the checks' results, whether the lab came up (and why not), the credentials Vault generated.</summary>
public sealed record GuideRun(ScenarioRunResult Result, bool Up, string Resources, IReadOnlyList<string> Secrets)
{
    public CheckResult Check(string id) => Result.Checks.Single(c => c.Id == id);

    // The checks first: a CI log keeps only the head of a failure message, and the checks say what went wrong.
    public string Describe() => string.Join("\n", Result.Checks.Select(c => $"{c.Id} {c.Outcome}: {c.Summary}" +
        string.Concat(c.Findings.SelectMany(f => f.Evidence).Select(e => "\n  " + e)))) + $"\nup={Up}\n{Resources}";
}
