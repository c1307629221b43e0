using OpenTelemetry.Proto.Common.V1;
using OtelLab.Backends.Capture;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Checks.Internal;

namespace OtelLab.Tests.Scenarios.Checks;

/// <summary>What makes one trace whole at both backends, on constructed traces (the population judgement is in TracePopulationTests).</summary>
[Trait("Category", "Unit")]
public sealed class TraceCompletenessTests
{
    internal static readonly string[] Services = ["checkout", "payments", "ledger"];
    private static readonly UInt128 Trace = new(0xabc, 0x1);

    internal static CapturedSpan Span(string backend, string service, ulong id, ulong parent, UInt128? trace = null, bool enriched = true, bool onSpan = false, CapturedStatus status = CapturedStatus.Unset, DateTimeOffset? receivedAt = null, string? name = null)
    {
        var k8s = TraceCompleteCheck.Enrichment.Select(a => new KeyValue { Key = a, Value = new AnyValue { StringValue = service + "-x" } }).ToList();
        return new CapturedSpan
        {
            Resource = new CapturedResource
            {
                Backend = backend,
                ServiceName = service,
                Attributes = enriched && !onSpan ? k8s : [],
                Credential = CredentialFingerprint.None,
                ReceivedAt = receivedAt ?? DateTimeOffset.UnixEpoch,
            },
            TraceId = trace ?? Trace,
            SpanId = id,
            ParentSpanId = parent,
            Name = name ?? service + "-op",
            Status = status,
            Attributes = enriched && onSpan ? k8s : [],
        };
    }

    // checkout SERVER(1) → CLIENT(2) → payments SERVER(3) → CLIENT(4) → ledger SERVER(5)
    internal static List<CapturedSpan> Chain(string backend, UInt128? trace = null, bool onSpan = false, CapturedStatus status = CapturedStatus.Unset, DateTimeOffset? receivedAt = null) =>
    [
        Span(backend, "checkout", 1, 0, trace, onSpan: onSpan, status: status, receivedAt: receivedAt),
        Span(backend, "checkout", 2, 1, trace, onSpan: onSpan, receivedAt: receivedAt),
        Span(backend, "payments", 3, 2, trace, onSpan: onSpan, receivedAt: receivedAt),
        Span(backend, "payments", 4, 3, trace, onSpan: onSpan, receivedAt: receivedAt),
        Span(backend, "ledger", 5, 4, trace, onSpan: onSpan, receivedAt: receivedAt),
    ];

    private static (IReadOnlyList<string> Dynatrace, IReadOnlyList<string> Datadog) Examine(List<CapturedSpan> dynatrace, List<CapturedSpan> datadog) =>
        TraceCompleteness.Examine(dynatrace, datadog, Services, TraceCompleteCheck.Enrichment, "dynatrace", "datadog");

    [Fact]
    public void A_whole_enriched_trace_at_both_backends_is_whole_with_Datadog_tags_on_the_span()
    {
        // Given the same five-span chain at Dynatrace (resource attributes) and Datadog (span tags)
        var (dynatrace, datadog) = Examine(Chain("dynatrace"), Chain("datadog", onSpan: true));

        // Then nothing is wrong at either, and the exhibit shows the tree as stored
        Assert.Empty(dynatrace);
        Assert.Empty(datadog);
        var exhibit = TraceCompleteness.Render(Chain("dynatrace"));
        Assert.Equal(5, exhibit.Count);
        Assert.StartsWith("        ledger", exhibit[4], StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_propagation_hop_leaves_ledger_in_another_trace()
    {
        // Given ledger's span started a new trace (its parent context was lost)
        var spans = Chain("dynatrace");
        spans.RemoveAt(4);

        var (dynatrace, _) = Examine(spans, Chain("datadog"));

        Assert.Contains(dynatrace, p => p.Contains("no span from ledger", StringComparison.Ordinal));
    }

    [Fact]
    public void A_service_parented_by_the_wrong_caller_is_reported()
    {
        // Given ledger's SERVER span parented directly by checkout's CLIENT span
        var spans = Chain("dynatrace");
        spans[4] = Span("dynatrace", "ledger", 5, 2);

        var (dynatrace, _) = Examine(spans, Chain("datadog"));

        Assert.Contains(dynatrace, p => p.Contains("ledger span ledger-op is parented by checkout, not by payments", StringComparison.Ordinal));
    }

    [Fact]
    public void Unenriched_spans_or_a_trace_missing_or_partial_at_Datadog_are_reported()
    {
        var bare = Chain("dynatrace");
        bare[2] = Span("dynatrace", "payments", 3, 2, enriched: false);

        var unenriched = Examine(bare, Chain("datadog"));
        var missing = Examine(Chain("dynatrace"), []);
        var partial = Examine(Chain("dynatrace"), Chain("datadog").Take(3).ToList());

        Assert.Contains(unenriched.Dynatrace, p => p.Contains("1 payments span(s) without k8s.namespace.name, k8s.pod.name, k8s.deployment.name, k8s.node.name", StringComparison.Ordinal));
        Assert.Equal(["not at datadog"], missing.Datadog);
        Assert.Contains(partial.Datadog, p => p.Contains("datadog: no span from ledger", StringComparison.Ordinal));
        Assert.Empty(missing.Dynatrace);
    }
}
