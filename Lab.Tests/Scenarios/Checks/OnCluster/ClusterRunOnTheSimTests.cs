using k8s;
using OtelLab.AppHost.Lab;
using OtelLab.Model.Manifests;
using OtelLab.Scenarios;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Checks.OnCluster;
using OtelLab.Scenarios.Cluster;
using OtelLab.Scenarios.Definition;
using OtelLab.Sim.Networking;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios.Checks.OnCluster;

/// <summary>
/// payments-fixed's steps and the API-side checks run as on k3s — through <see cref="KubernetesCluster"/> on the
/// lab's kubeconfig, kubectl, and the mock backends' stores — against a running sim lab: the run path k3s takes,
/// proven where no image can run.
/// </summary>
[Trait("Category", "Lab")]
public sealed class ClusterRunOnTheSimTests : IAsyncLifetime
{
    private const string Substrate = "sim API";
    private readonly TempDirectory _scratch = new();
    private SimLab? _lab;

    public async ValueTask InitializeAsync()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            return;
        }

        // payments-fixed with its trace load, as `test` runs it (the lab claims its own address slot)
        var scenario = ScenarioLoader.Load(RepoPaths.Scenario("payments-fixed"));
        _lab = SimLab.Create(LabComposition.Options(scenario) with { ReadyTimeout = TimeSpan.FromMinutes(4) });
        Assert.True(await _lab.StartAsync(TestContext.Current.CancellationToken), string.Join("\n", _lab.Graph.Snapshots()));
    }

    public async ValueTask DisposeAsync()
    {
        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }

        _scratch.Dispose();
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Payments_fixed_applies_and_passes_its_steps_rollouts_pods_and_backend_data_through_the_clusters_api()
    {
        ScenarioRun.SkipUnlessRunnable();
        var ct = TestContext.Current.CancellationToken;
        var lab = _lab!;
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(lab.KubeconfigPath!));
        var context = ClusterContext(lab, client, lab.Backends);

        var run = await ClusterScenarioRunner.CheckAsync(context, Substrate, applyManifests: true, DateTimeOffset.UtcNow, TimeProvider.System, ct);
        var byId = run.Checks.ToDictionary(c => c.Id, StringComparer.Ordinal);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", byId["manifests-apply"].Transcript) + "\n" + string.Join("\n", run.Checks.Select(c => $"{c.Id} {c.Outcome} {c.Summary}")));

        Assert.All(new[] { "manifests-apply", "lint", "workloads-rolled-out", "pods-ready", "backends-receive", "kubectl-steps" },
            id => Assert.True(byId[id].Outcome == CheckOutcome.Pass, $"{id}: {byId[id].Outcome}: {byId[id].Summary}\n{string.Join("\n", byId[id].Findings.Select(f => f.Message))}\n{string.Join("\n", byId[id].Transcript)}"));
        Assert.Equal("8/8 kubectl steps met their expectations", byId["kubectl-steps"].Summary);
        Assert.Equal("23 object(s) applied from 14/14 file(s)", byId["manifests-apply"].Summary);
        Assert.Contains("opentelemetrycollector.opentelemetry.io/otel-gateway serverside-applied", byId["manifests-apply"].Transcript);
        Assert.NotEqual(CheckOutcome.Skipped, byId["backend-parity"].Outcome); // judged from the stores, whichever way
        Assert.Equal(ScenarioChecks.Default.Select(c => c.Id).Append("workloads-rolled-out").Append("manifests-apply").Order(StringComparer.Ordinal), byId.Keys.Order(StringComparer.Ordinal));
        Assert.All(ClusterScenarioRunner.NotAvailable.Keys, id =>
        {
            Assert.Equal(CheckOutcome.Skipped, byId[id].Outcome);
            Assert.StartsWith($"not available on this substrate ({Substrate}): it ", byId[id].Summary, StringComparison.Ordinal);
        });
    
        // And a kind the declared install does not ship is refused through the same apply, as kubectl refuses it
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => context.Cluster!.ApplyAsync(
            "apiVersion: opentelemetry.io/v1alpha1\nkind: TargetAllocator\nmetadata: {name: ta, namespace: observability}\nspec: {}\n", ct));
        Assert.StartsWith("no matches for kind \"TargetAllocator\" in version \"opentelemetry.io/v1alpha1\"", refused.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task The_backend_checks_judge_mirrors_of_the_backends_stores_as_a_k3s_run_reads_the_in_cluster_ones()
    {
        ScenarioRun.SkipUnlessRunnable();
        var ct = TestContext.Current.CancellationToken;
        var lab = _lab!;

        // Given local stand-ins that only hold what a CaptureMirror copies from the lab's backends over their query API
        // (a k3s run reads the in-cluster backends the same way, through port-forwards)
        await using var dynatrace = new OtelLab.Backends.Dynatrace.DynatraceBackendBuilder().WithToken("dt0c01.MIRRORSTANDINPUBLIC00000.SECRETSECRETSECRETSECRET").Build();
        await using var datadog = new OtelLab.Backends.Datadog.DatadogBackendBuilder().WithApiKey("0123456789abcdef0123456789abcdef").Build();
        using var http = new HttpClient();
        var sources = new[] { lab.Backends.Single(b => b.Name == "dynatrace"), lab.Backends.Single(b => b.Name == "datadog") };
        var mirrors = new[] { new OtelLab.Backends.Capture.CaptureMirror(http, sources[0].BaseAddress, dynatrace.Captures), new OtelLab.Backends.Capture.CaptureMirror(http, sources[1].BaseAddress, datadog.Captures) };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var mirroring = Task.WhenAll(mirrors.Select(m => m.RunAsync(TimeSpan.FromMilliseconds(500), TimeProvider.System, stop.Token)));
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(lab.KubeconfigPath!));
        var context = ClusterContext(lab, client, [dynatrace, datadog]);

        // When the cluster run judges its checks from the stand-ins
        var run = await ClusterScenarioRunner.CheckAsync(context, "sim API, mirrored backends", applyManifests: true, DateTimeOffset.UtcNow, TimeProvider.System, ct);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => mirroring);

        // Then the backend checks were judged from the mirrored spans, which are the backends' own
        var byId = run.Checks.ToDictionary(c => c.Id, StringComparer.Ordinal);
        Assert.True(byId["backends-receive"].Outcome == CheckOutcome.Pass, $"{byId["backends-receive"].Outcome}: {byId["backends-receive"].Summary}\n{string.Join("\n", byId["backends-receive"].Findings.Select(f => f.Message + ": " + string.Join("; ", f.Evidence)))}");
        Assert.NotEqual(CheckOutcome.Skipped, byId["backend-parity"].Outcome);
        Assert.All(new[] { (dynatrace.Captures, sources[0].Captures), (datadog.Captures, sources[1].Captures) }, pair =>
        {
            var copied = pair.Item1.Spans();
            Assert.NotEmpty(copied);
            Assert.True(copied.Count <= pair.Item2.Summary().AcceptedSpans, $"{copied.Count} mirrored, {pair.Item2.Summary().AcceptedSpans} stored");
            // (an exporter's retry can deliver a span twice: the store keeps what arrived, at-least-once)
            var source = pair.Item2.Spans().GroupBy(x => (x.TraceId, x.SpanId)).ToDictionary(g => g.Key, g => g.First());
            Assert.All(copied, x => Assert.Equal(source[(x.TraceId, x.SpanId)].ServiceName, x.ServiceName));
        });
        TestContext.Current.TestOutputHelper?.WriteLine($"mirrored: dynatrace {dynatrace.Captures.Spans().Count}, datadog {datadog.Captures.Spans().Count}; parity {byId["backend-parity"].Outcome}: {byId["backend-parity"].Summary}");
    }

    // The cluster run's context: the scenario's manifests applied through the lab's API with kubectl's kubeconfig, the
    // backend checks judged from the given stores.
    private CheckContext ClusterContext(SimLab lab, Kubernetes client, IReadOnlyList<OtelLab.Backends.IMockBackend> backends) => new()
    {
        Scenario = lab.Scenario,
        Manifests = ManifestLoader.Load(lab.Scenario.ManifestPaths, recursive: true),
        Cluster = new KubernetesCluster(client),
        Kubeconfig = lab.KubeconfigPath,
        WorkDirectory = _scratch.Path,
        Backends = backends,
        Clock = lab.Clock,
        DataWithin = lab.Scenario.Expectations.DataWithin,
    };
}
