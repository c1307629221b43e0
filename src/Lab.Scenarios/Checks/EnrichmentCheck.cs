using OpenTelemetry.Proto.Common.V1;
using OtelLab.Lint;

namespace OtelLab.Scenarios.Checks;

/// <summary>
/// k8sattributes enrichment: the share of spans at Dynatrace whose resource carries the scenario's
/// <c>enrichmentAttribute</c> (default <c>k8s.pod.name</c>) is at least <c>enrichmentMinRatio</c>. Fails with "no data received" when there are no spans.
/// </summary>
public sealed class EnrichmentCheck : IScenarioCheck
{
    public string Id => "enrichment";

    public string Title => "Spans enriched with Kubernetes metadata";

    public bool NeedsRunningLab => true;

    public Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Lab is not { Dynatrace: { } dt } lab)
        {
            return Task.FromResult(CheckResult.Skip(this, "no running lab"));
        }

        var attribute = context.Scenario.Expectations.EnrichmentAttribute;
        var min = context.Scenario.Expectations.EnrichmentMinRatio;
        var spans = dt.Captures.Spans();
        if (spans.Count == 0)
        {
            return Task.FromResult(new CheckResult
            {
                Id = Id,
                Title = Title,
                Outcome = CheckOutcome.Fail,
                Summary = $"no data received: dynatrace holds 0 spans, so {attribute} coverage cannot be measured",
                Figures = [new("spans", 0)],
                Findings = [BackendDataCheck.NoData(context, lab.Backends)],
            });
        }

        // A pod's first spans can reach the agent before its pod cache has the pod (Internal.EnrichmentRace): counted
        // apart, not judged, since upstream's k8sattributes misses them too and no configuration change would help.
        var early = Internal.EnrichmentRace.BeforeThePodWasKnown(spans, a => Has(a, attribute));
        var enriched = spans.Count(s => Has(s.Resource.Attributes, attribute));
        var judged = spans.Count - early.Count;
        var ratio = enriched / (double)judged;
        var missing = spans.Where(s => !Has(s.Resource.Attributes, attribute) && !early.Contains(s)).GroupBy(s => s.ServiceName).Select(g => $"{g.Key}: {g.Count()} span(s) without {attribute}").ToList();
        var earlyText = early.Count == 0 ? "" : $"; {early.Count} more sent before the agent's pod cache had their pod (not judged: upstream's k8sattributes misses those too)";
        var (obj, location, _) = Internal.VendorExporters.Find(context.Manifests);
        return Task.FromResult(new CheckResult
        {
            Id = Id,
            Title = Title,
            Outcome = ratio >= min ? CheckOutcome.Pass : CheckOutcome.Fail,
            Summary = $"{enriched}/{judged} spans ({ratio:P1}) carry {attribute}; expected ≥ {min:P0}{earlyText}",
            Figures = [new("spans", spans.Count), new("enriched", enriched), new("ratio", ratio), new("spans before their pod was known", early.Count)],
            Findings = ratio >= min ? [] :
            [
                new Finding
                {
                    RuleId = "enrichment-missing",
                    Severity = Severity.Error,
                    Object = obj,
                    Location = location,
                    Message = $"only {ratio:P1} of spans carry {attribute}",
                    Evidence = missing,
                    Why = "k8sattributes identifies the sender by its connection IP; behind a gateway or without RBAC to list pods it cannot, and spans arrive without Kubernetes metadata",
                    Fix = "run k8sattributes on the agent tier (the first hop) with RBAC to get/list/watch pods, namespaces and replicasets",
                },
            ],
        });
    }

    private static bool Has(IReadOnlyList<KeyValue> attributes, string key) => attributes.Any(a => a.Key == key);
}
