using OpenTelemetry.Proto.Common.V1;
using OtelLab.Backends.Capture;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Checks.Internal;

namespace OtelLab.Tests.Scenarios.Checks;

/// <summary>The trace-complete judgement on constructed traces (the lab-level run is in TraceCompleteOnPaymentsFixedTests).</summary>
public sealed class TraceCompletenessTests
{
    private static readonly string[] Services = ["checkout", "payments", "ledger"];
    private static readonly UInt128 Trace = new(0xabc, 0x1);

    private static CapturedSpan Span(string backend, string service, ulong id, ulong parent, UInt128? trace = null, bool enriched = true, bool onSpan = false, CapturedStatus status = CapturedStatus.Unset)
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
                ReceivedAt = DateTimeOffset.UnixEpoch,
            },
            TraceId = trace ?? Trace,
            SpanId = id,
            ParentSpanId = parent,
            Name = service + "-op",
            Status = status,
            Attributes = enriched && onSpan ? k8s : [],
        };
    }

    // checkout SERVER(1) → CLIENT(2) → payments SERVER(3) → CLIENT(4) → ledger SERVER(5)
    private static List<CapturedSpan> Chain(string backend, UInt128? trace = null, bool onSpan = false, CapturedStatus status = CapturedStatus.Unset) =>
    [
        Span(backend, "checkout", 1, 0, trace, onSpan: onSpan, status: status),
        Span(backend, "checkout", 2, 1, trace, onSpan: onSpan),
        Span(backend, "payments", 3, 2, trace, onSpan: onSpan),
        Span(backend, "payments", 4, 3, trace, onSpan: onSpan),
        Span(backend, "ledger", 5, 4, trace, onSpan: onSpan),
    ];

    [Fact]
    public void A_whole_enriched_trace_at_both_backends_is_complete_with_Datadog_tags_on_the_span()
    {
        // Given the same five-span chain at Dynatrace (resource attributes) and Datadog (span tags)
        var verdict = TraceCompleteness.Judge(Chain("dynatrace"), Chain("datadog", onSpan: true), Services, TraceCompleteCheck.Enrichment);

        // Then it is complete, and the exhibit shows the tree as stored
        Assert.Equal([Trace.ToString("x32", null)], verdict.Complete);
        Assert.Empty(verdict.Problems);
        Assert.Equal(5, verdict.Exhibit.Count);
        Assert.StartsWith("        ledger", verdict.Exhibit[4], StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_trace_is_exhibited_before_a_normal_one()
    {
        var error = new UInt128(0xfff, 0x2);
        var verdict = TraceCompleteness.Judge([.. Chain("dynatrace"), .. Chain("dynatrace", error, status: CapturedStatus.Error)],
            [.. Chain("datadog"), .. Chain("datadog", error)], Services, TraceCompleteCheck.Enrichment);

        Assert.Equal(error.ToString("x32", null), verdict.Complete[0]);
        Assert.Equal(2, verdict.Complete.Count);
    }

    [Fact]
    public void A_broken_propagation_hop_leaves_ledger_in_another_trace_and_nothing_is_complete()
    {
        // Given ledger's span started a new trace (its parent context was lost)
        var spans = Chain("dynatrace");
        spans[4] = Span("dynatrace", "ledger", 5, 0, new UInt128(9, 9));
        var verdict = TraceCompleteness.Judge(spans, Chain("datadog"), Services, TraceCompleteCheck.Enrichment);

        Assert.Empty(verdict.Complete);
        Assert.Contains(verdict.Problems, p => p.Contains("no span from ledger", StringComparison.Ordinal));
    }

    [Fact]
    public void A_service_parented_by_the_wrong_caller_is_reported()
    {
        // Given ledger's SERVER span parented directly by checkout's CLIENT span
        var spans = Chain("dynatrace");
        spans[4] = Span("dynatrace", "ledger", 5, 2);
        var verdict = TraceCompleteness.Judge(spans, Chain("datadog"), Services, TraceCompleteCheck.Enrichment);

        Assert.Empty(verdict.Complete);
        Assert.Contains(verdict.Problems, p => p.Contains("ledger span ledger-op is parented by checkout, not by payments", StringComparison.Ordinal));
    }

    [Fact]
    public void Unenriched_spans_or_a_trace_missing_at_Datadog_are_not_complete()
    {
        var bare = Chain("dynatrace");
        bare[2] = Span("dynatrace", "payments", 3, 2, enriched: false);
        var unenriched = TraceCompleteness.Judge(bare, Chain("datadog"), Services, TraceCompleteCheck.Enrichment);
        var missing = TraceCompleteness.Judge(Chain("dynatrace"), [], Services, TraceCompleteCheck.Enrichment);
        var partial = TraceCompleteness.Judge(Chain("dynatrace"), Chain("datadog").Take(3).ToList(), Services, TraceCompleteCheck.Enrichment);

        Assert.Contains(unenriched.Problems, p => p.Contains("1 payments span(s) without k8s.namespace.name, k8s.pod.name, k8s.deployment.name, k8s.node.name", StringComparison.Ordinal));
        Assert.Contains(missing.Problems, p => p.Contains("not at second backend", StringComparison.Ordinal));
        Assert.Contains(partial.Problems, p => p.Contains("datadog: no span from ledger", StringComparison.Ordinal));
        Assert.All([unenriched, missing, partial], v => Assert.Empty(v.Complete));
    }
}
