using OpenTelemetry.Proto.Common.V1;
using OtelLab.Lint;
using OtelLab.Scenarios.Checks.Internal;

namespace OtelLab.Scenarios.Checks.Guide;

/// <summary>
/// Spans carry <c>k8s.deployment.name</c>. k8sattributes finds it through pod → ReplicaSet → Deployment and needs
/// get/list/watch on pods and replicasets; without its ClusterRole it fails open: spans flow unenriched, client-go logs
/// <c>… is forbidden: User "system:serviceaccount:…" cannot list resource …</c> and <c>otelsvc_k8s_ip_lookup_miss</c>
/// rises (upstream: contrib processor/k8sattributesprocessor/README.md). Measured: the share of spans at Dynatrace without it, the
/// agents' forbidden log lines and lookup misses.
/// </summary>
public sealed class DeploymentNameCheck : IScenarioCheck
{
    public const string Attribute = "k8s.deployment.name";

    public string Id => "k8s-deployment-name";

    public string Title => "Spans carry k8s.deployment.name (k8sattributes has its RBAC)";

    public bool NeedsRunningLab => true;

    public async Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Lab is not { Dynatrace: { } dt } lab)
        {
            return CheckResult.Skip(this, "no running lab");
        }

        await dt.Captures.WaitUntilAsync(c => c.Spans().Count > 0, context.DataWait, cancellationToken).ConfigureAwait(false);
        var spans = dt.Captures.Spans();
        // A pod's first spans can reach the agent before its pod cache has the pod: counted apart, not judged (Internal.EnrichmentRace).
        var early = Internal.EnrichmentRace.BeforeThePodWasKnown(spans, Has);
        var agents = CollectorPod.Of(lab).Where(p => p.Instance?.Service.Config.Processors.Keys.Any(id => id.Type == "k8sattributes") == true).ToList();
        var evidence = new DeploymentNameEvidence(
            spans.Count - early.Count,
            [.. spans.Where(s => !Has(s.Resource.Attributes) && !early.Contains(s)).GroupBy(s => s.ServiceName).Select(g => (g.Key, (long)g.Count())).OrderBy(x => x.Key, StringComparer.Ordinal)],
            [.. agents.SelectMany(a => a.Log.Where(l => l.Contains("is forbidden", StringComparison.Ordinal)).Take(1).Select(l => $"{a.Name}: {CollectorPod.Quote(l, [])}"))],
            agents.Sum(a => a.Log.Count(l => l.Contains("is forbidden", StringComparison.Ordinal))),
            (long)agents.Sum(a => a.Instance!.Telemetry.Value(Sim.Collector.Processors.K8sAttributes.K8sAttributesProcessor.LookupMissMetric) ?? 0),
            spans.GroupBy(s => s.ServiceName).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal),
            early.Count);
        var rbac = context.Manifests.Collectors.FirstOrDefault(c => c.Model.Config.Processors.Keys.Any(id => id.Type == "k8sattributes"));
        return Judge(this, evidence, context.Scenario.Expectations.EnrichmentMinRatio,
            rbac.Manifest?.Display ?? "the agent collector", rbac.Manifest?.Location ?? Model.SourceLocation.None);
    }

    internal static CheckResult Judge(IScenarioCheck check, DeploymentNameEvidence evidence, double minRatio, string obj, Model.SourceLocation location)
    {
        if (evidence.Spans == 0)
        {
            return CheckResult.Skip(check, "no span reached Dynatrace (see backends-receive): nothing to judge");
        }

        var missing = evidence.MissingByService.Sum(m => m.Spans);
        var ratio = missing / (double)evidence.Spans;
        // Spans of operator-instrumented pods carry k8s.deployment.name from OTEL_RESOURCE_ATTRIBUTES (upstream: operator pkg/instrumentation/sdk.go), which
        // hides the missing RBAC for them: the API server's refusal in the agents' logs is the defect itself.
        var failed = 1 - ratio < minRatio || evidence.ForbiddenLines > 0;
        // A service none of whose spans carries it gets no k8s.* from anywhere else: not operator-injected (an SDK set up
        // by hand), so k8sattributes was its only source and its spans measure the guide's consequence.
        var unenriched = evidence.MissingByService.Where(m => evidence.Total(m.Service) == m.Spans).Select(m => m.Service).ToList();
        var who = unenriched.Count == 0 ? string.Empty
            : $"; every span of {string.Join(", ", unenriched)} lacks it (not operator-injected: k8sattributes is its only source of k8s.*)";
        return new CheckResult
        {
            Id = check.Id,
            Title = check.Title,
            Outcome = failed ? CheckOutcome.Fail : CheckOutcome.Pass,
            Summary = $"{missing}/{evidence.Spans} spans ({ratio:P1}) at dynatrace lack {Attribute}; {evidence.ForbiddenLines} forbidden line(s) in the agents' logs"
                + (evidence.SentBeforePodKnown > 0 ? $"; {evidence.SentBeforePodKnown} more sent before the agent's pod cache had their pod (not judged)" : ""),
            Figures = [new("spans", evidence.Spans), new("spans without " + Attribute, missing), new("ratio without", ratio),
                new("spans before their pod was known", evidence.SentBeforePodKnown),
                new("forbidden log lines", evidence.ForbiddenLines), new("ip lookup misses", evidence.LookupMisses),
                .. (evidence.SpansByService ?? new Dictionary<string, long>()).OrderBy(kv => kv.Key, StringComparer.Ordinal).SelectMany(kv => new CheckFigure[]
                {
                    new($"{kv.Key} spans", kv.Value),
                    new($"{kv.Key} spans without {Attribute}", evidence.MissingByService.Where(m => m.Service == kv.Key).Sum(m => m.Spans)),
                })],
            Findings = !failed ? [] :
            [
                new Finding
                {
                    RuleId = "k8sattributes-unenriched",
                    Severity = Severity.Error,
                    Object = obj,
                    Location = location,
                    Message = $"k8sattributes may not watch the cluster ({evidence.ForbiddenLines} forbidden line(s)); {missing}/{evidence.Spans} spans ({ratio:P1}) reach the backend without {Attribute}{who}",
                    Evidence =
                    [
                        .. evidence.MissingByService.Select(m => $"{m.Service}: {m.Spans} span(s) without {Attribute}" + (evidence.Total(m.Service) is > 0 and var of ? $" of {of}" : string.Empty)),
                        .. evidence.ForbiddenExamples.Select(l => "agent log: " + l),
                        $"{evidence.ForbiddenLines} forbidden line(s) in the agents' logs; otelsvc_k8s_ip_lookup_miss = {evidence.LookupMisses}",
                        $"{missing}/{evidence.Spans} spans at dynatrace without {Attribute} (spans of operator-instrumented pods carry it from OTEL_RESOURCE_ATTRIBUTES; other senders lose it)",
                    ],
                    Why = "k8sattributes resolves the Deployment through the pod's ReplicaSet and needs get/list/watch on pods, namespaces and " +
                        "replicasets; without its ClusterRole the API server refuses the watch and the processor fails open: spans flow without " +
                        "Kubernetes metadata and nothing but a log line says so (opentelemetry-collector-contrib processor/k8sattributesprocessor/README.md, Role-based access control; operator#3875, contrib#32247)",
                    Fix = "bind a ClusterRole with get/list/watch on pods, namespaces, nodes and replicasets (apps) to the agent's ServiceAccount " +
                        "(as in scenarios/payments-fixed/manifests/01-agent-rbac.yaml)",
                },
            ],
        };
    }

    private static bool Has(IReadOnlyList<KeyValue> attributes) => attributes.Any(a => a.Key == Attribute && a.Value?.StringValue is { Length: > 0 });
}

/// <summary>
/// What <see cref="DeploymentNameCheck"/> measured: <see cref="Spans"/> and <see cref="MissingByService"/> leave out the
/// <see cref="SentBeforePodKnown"/> spans (Internal.EnrichmentRace).
/// </summary>
internal sealed record DeploymentNameEvidence(
    long Spans, IReadOnlyList<(string Service, long Spans)> MissingByService, IReadOnlyList<string> ForbiddenExamples, int ForbiddenLines, long LookupMisses,
    IReadOnlyDictionary<string, long>? SpansByService = null, long SentBeforePodKnown = 0)
{
    /// <summary>All spans of <paramref name="service"/> at the backend (0 when not measured).</summary>
    public long Total(string service) => SpansByService?.GetValueOrDefault(service) ?? 0;
}
