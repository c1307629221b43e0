using OpenTelemetry.Proto.Common.V1;
using OtelLab.Backends.Capture;

namespace OtelLab.Scenarios.Checks.Internal;

/// <summary>
/// Spans k8sattributes passed on unenriched because its pod cache did not hold their pod yet. Upstream's processor looks
/// the sender up in a cache its informers fill (processor/k8sattributesprocessor/internal/kube/client.go GetPod: a miss
/// counts otelsvc_k8s_ip_lookup_miss and the data goes on as it is), so a pod that sends from its first second can have its
/// first spans reach the agent before the watch event that adds the pod; <c>wait_for_metadata</c> only waits for the
/// informers' first sync. Such a span still carries <c>k8s.pod.ip</c> (processor.go processResource sets it from the
/// connection on a miss too), and spans from the same address received at the same time or later carry the attribute:
/// the agent did learn that pod. A sender none of whose spans is enriched (no RBAC, enrichment behind a gateway) is no
/// race and stays judged.
/// </summary>
internal static class EnrichmentRace
{
    private const string PodIp = "k8s.pod.ip";

    /// <summary>The spans lacking the attribute (<paramref name="has"/> false) whose pod address carries it on a span received no earlier.</summary>
    public static IReadOnlySet<CapturedSpan> BeforeThePodWasKnown(IReadOnlyList<CapturedSpan> spans, Func<IReadOnlyList<KeyValue>, bool> has)
    {
        ArgumentNullException.ThrowIfNull(spans);
        ArgumentNullException.ThrowIfNull(has);
        var lastEnriched = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var span in spans)
        {
            if (has(span.Resource.Attributes) && PodIpOf(span) is { } ip)
            {
                lastEnriched[ip] = lastEnriched.TryGetValue(ip, out var at) && at > span.Resource.ReceivedAt ? at : span.Resource.ReceivedAt;
            }
        }

        return spans
            .Where(s => !has(s.Resource.Attributes) && PodIpOf(s) is { } ip && lastEnriched.TryGetValue(ip, out var at) && at >= s.Resource.ReceivedAt)
            .ToHashSet();
    }

    private static string? PodIpOf(CapturedSpan span) =>
        span.Resource.Attributes.FirstOrDefault(a => a.Key == PodIp)?.Value?.StringValue is { Length: > 0 } ip ? ip : null;
}
