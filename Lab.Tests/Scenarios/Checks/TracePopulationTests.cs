using OtelLab.Backends.Capture;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Checks.Guide;
using OtelLab.Scenarios.Checks.Internal;
using OtelLab.Sim.Collector.Processors.TailSampling;
using static OtelLab.Tests.Scenarios.Checks.TraceCompletenessTests;

namespace OtelLab.Tests.Scenarios.Checks;

/// <summary>
/// trace-complete judges every trace decided before the cut: whole at both backends, or its missing spans explained;
/// fed synthetic decisions and backend captures.
/// </summary>
[Trait("Category", "Unit")]
public sealed class TracePopulationTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private static UInt128 Id(int i) => new(0x5eed, (ulong)i);

    private static ReplicaDecisions Replica(string pod, IEnumerable<int> traces, TraceOutcome outcome = TraceOutcome.Kept) =>
        new(pod, traces.ToDictionary(Id, _ => outcome));

    private static TracePopulation.Input Input(
        IReadOnlyList<ReplicaDecisions> decisions, IEnumerable<CapturedSpan> dynatrace, IEnumerable<CapturedSpan> datadog,
        IReadOnlySet<string>? faulted = null, IReadOnlyList<string>? killed = null) =>
        new(decisions, new HashSet<UInt128>(), [.. dynatrace], [.. datadog], "dynatrace", "datadog", Services, TraceCompleteCheck.Enrichment,
            Now, TraceCompleteCheck.DatadogFlush, faulted ?? new HashSet<string>(), killed ?? []);

    private static IEnumerable<CapturedSpan> Chains(string backend, IEnumerable<int> traces, DateTimeOffset? receivedAt = null) =>
        traces.SelectMany(i => Chain(backend, Id(i), onSpan: backend == "datadog", receivedAt: receivedAt ?? Now.AddMinutes(-1)));

    [Fact]
    public void Every_kept_trace_whole_at_both_backends_passes_and_counts_the_population()
    {
        // Given 121 kept traces, all whole at both backends
        var all = Enumerable.Range(0, 121).ToList();

        var verdict = TracePopulation.Judge(Input([Replica("gw-0", all)], Chains("dynatrace", all), Chains("datadog", all)));

        Assert.True(verdict.Passed);
        Assert.Equal(121, verdict.Judged);
        Assert.Equal(121, verdict.Whole.Count);
        Assert.Empty(verdict.Unexplained);
    }

    [Fact]
    public void Eighteen_whole_of_121_fails_with_the_count_of_unexplained_partial_traces()
    {
        // Given 121 kept traces, of which only 18 reached Datadog whole and the rest lack ledger's spans there, long after
        var all = Enumerable.Range(0, 121).ToList();
        var partial = Chains("datadog", all.Skip(18)).Where(s => s.ServiceName != "ledger");

        var verdict = TracePopulation.Judge(Input([Replica("gw-0", all)], Chains("dynatrace", all), Chains("datadog", all.Take(18)).Concat(partial)));

        // Then the check fails on the 103 it cannot explain, each with what is wrong
        Assert.False(verdict.Passed);
        Assert.Equal(18, verdict.Whole.Count);
        Assert.Equal(103, verdict.Unexplained.Count);
        Assert.All(verdict.Unexplained, u => Assert.Contains(u.Problems, p => p.Contains("datadog: no span from ledger", StringComparison.Ordinal)));
    }

    [Fact]
    public void Spans_delivered_twice_by_a_retried_export_are_counted_not_judged_partial()
    {
        // Given 30 kept traces whole at both backends, and 7 of them whose checkout spans (the root among them) arrived
        // twice at both — an export retried after its timeout when the first attempt had been taken
        var all = Enumerable.Range(0, 30).ToList();
        var twice = (string backend) => Chains(backend, all.Take(7)).Where(s => s.ServiceName == "checkout");
        var checkoutSpans = twice("dynatrace").Count();

        var verdict = TracePopulation.Judge(Input([Replica("gw-0", all)], Chains("dynatrace", all).Concat(twice("dynatrace")), Chains("datadog", all).Concat(twice("datadog"))));

        // Then every trace is whole on its distinct spans, and the copies are counted at both backends
        Assert.True(verdict.Passed);
        Assert.Equal(30, verdict.Whole.Count);
        Assert.Equal(2 * checkoutSpans, verdict.Duplicates);
    }

    [Fact]
    public void Two_distinct_roots_in_one_trace_stay_a_defect()
    {
        // Given 5 kept traces where checkout's root appears a second time under a new span id (not a copy)
        var all = Enumerable.Range(0, 5).ToList();
        var again = (string backend) => all.Select(i => Span(backend, "checkout", 9, 0, Id(i), name: "POST /checkout"));

        var verdict = TracePopulation.Judge(Input([Replica("gw-0", all)], Chains("dynatrace", all).Concat(again("dynatrace")), Chains("datadog", all)));

        // Then each is partial and unexplained: two roots at Dynatrace
        Assert.False(verdict.Passed);
        Assert.Equal(5, verdict.Unexplained.Count);
        Assert.Equal(0, verdict.Duplicates);
        Assert.All(verdict.Unexplained, u => Assert.Contains(u.Problems, p => p.Contains("2 root span(s)", StringComparison.Ordinal)));
    }

    [Fact]
    public void Traces_split_across_gateways_and_partly_sampled_out_are_explained()
    {
        // Given 40 traces kept whole and 10 whose spans reached two replicas: one kept its part (checkout, payments), the other sampled out ledger's
        var whole = Enumerable.Range(0, 40).ToList();
        var split = Enumerable.Range(40, 10).ToList();
        var decisions = new[] { Replica("gw-0", whole.Concat(split)), Replica("gw-1", split, TraceOutcome.SampledOut) };
        var part = (string backend) => Chains(backend, split).Where(s => s.ServiceName != "ledger");

        var verdict = TracePopulation.Judge(Input(decisions, Chains("dynatrace", whole).Concat(part("dynatrace")), Chains("datadog", whole).Concat(part("datadog"))));

        Assert.True(verdict.Passed);
        Assert.Equal(10, verdict.Explained[TracePopulation.SplitSampled]);
    }

    [Fact]
    public void A_trace_missing_at_Datadog_is_explained_only_within_its_flush_window()
    {
        // Given two traces whole at Dynatrace and not at Datadog: one arrived 2 s ago, one 30 s ago
        var decisions = new[] { Replica("gw-0", [1, 2]) };
        var dynatrace = Chains("dynatrace", [1], Now.AddSeconds(-2)).Concat(Chains("dynatrace", [2], Now.AddSeconds(-30)));

        var verdict = TracePopulation.Judge(Input(decisions, dynatrace, []));

        Assert.Equal(1, verdict.Explained[TracePopulation.FlushWindow]);
        var lost = Assert.Single(verdict.Unexplained);
        Assert.Equal(Id(2).ToString("x32", null), lost.TraceId);
        Assert.Equal(["not at datadog"], lost.Problems);
    }

    [Fact]
    public void An_injected_fault_explains_what_is_missing_at_that_backend_only()
    {
        var decisions = new[] { Replica("gw-0", [1, 2]) };
        var faulted = new HashSet<string> { "datadog" };

        // Trace 1 is missing at Datadog (the faulted backend), trace 2 at Dynatrace (not faulted)
        var verdict = TracePopulation.Judge(Input(decisions, Chains("dynatrace", [1]), Chains("datadog", [2]), faulted));

        Assert.Equal(1, verdict.Explained["datadog answered with the injected fault"]);
        Assert.Equal(Id(2).ToString("x32", null), Assert.Single(verdict.Unexplained).TraceId);
    }

    [Fact]
    public void Sampled_out_traces_and_traces_of_other_services_are_not_judged_but_a_kept_trace_at_neither_backend_is()
    {
        // Given trace 1 whole, trace 2 sampled out, trace 3 kept but from another service, trace 4 kept and at neither backend
        var decisions = new[] { Replica("gw-0", [1, 3, 4]), Replica("gw-1", [2], TraceOutcome.SampledOut) };
        var fraud = Span("dynatrace", "fraud-score", 9, 0, Id(3));

        var verdict = TracePopulation.Judge(Input(decisions, Chains("dynatrace", [1]).Append(fraud), Chains("datadog", [1])));

        Assert.Equal(4, verdict.Decided);
        Assert.Equal(1, verdict.SampledOut);
        Assert.Equal(1, verdict.Other);
        Assert.Equal(2, verdict.Judged);
        Assert.Equal(["not at dynatrace", "not at datadog"], Assert.Single(verdict.Unexplained).Problems);
    }

    [Fact]
    public void A_request_that_failed_before_reaching_a_service_is_explained_by_the_callers_error()
    {
        // Given traces 1 and 2 that stop at payments: in 1 payments' call to ledger failed (status Error), in 2 nothing says why
        var decisions = new[] { Replica("gw-0", [1, 2]) };
        List<CapturedSpan> Stopped(string backend, int trace, CapturedStatus callStatus) =>
        [
            .. Chain(backend, Id(trace), onSpan: backend == "datadog", receivedAt: Now.AddMinutes(-1)).Take(3),
            Span(backend, "payments", 4, 3, Id(trace), onSpan: backend == "datadog", status: callStatus, receivedAt: Now.AddMinutes(-1)),
        ];

        var verdict = TracePopulation.Judge(Input(decisions,
            [.. Stopped("dynatrace", 1, CapturedStatus.Error), .. Stopped("dynatrace", 2, CapturedStatus.Unset)],
            [.. Stopped("datadog", 1, CapturedStatus.Error), .. Stopped("datadog", 2, CapturedStatus.Unset)]));

        Assert.Equal(1, verdict.Explained["the request failed before reaching ledger (payments's call recorded the error)"]);
        Assert.Equal(Id(2).ToString("x32", null), Assert.Single(verdict.Unexplained).TraceId);
    }

    [Fact]
    public void Traces_of_the_kubelets_probes_are_not_requests_of_the_load()
    {
        // Given a kept trace of one checkout span serving the readiness probe, and one whole request
        var decisions = new[] { Replica("gw-0", [1, 2]) };
        var probe = Span("dynatrace", "checkout", 7, 0, Id(2), name: "GET /health");
        var input = Input(decisions, Chains("dynatrace", [1]).Append(probe), Chains("datadog", [1])) with
        {
            ProbePaths = new HashSet<string>(StringComparer.Ordinal) { "/health" },
        };

        var verdict = TracePopulation.Judge(input);

        Assert.True(verdict.Passed);
        Assert.Equal(1, verdict.Other);
        Assert.Equal(1, verdict.Judged);
    }

    [Fact]
    public void Nothing_kept_is_not_a_pass()
    {
        var verdict = TracePopulation.Judge(Input([Replica("gw-0", [1], TraceOutcome.SampledOut)], [], []));

        Assert.Equal(0, verdict.Judged);
        Assert.False(verdict.Passed);
    }
}
