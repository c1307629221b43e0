using OtelLab.Model;
using OtelLab.Scenarios.Checks;

namespace OtelLab.Tests.Scenarios.Checks;

/// <summary>The span-conservation check's judgement on constructed readings of a draining pipeline.</summary>
[Trait("Category", "Unit")]
public sealed class ConservationCheckTests
{
    private static readonly (string, SourceLocation) At = ("OpenTelemetryCollector observability/otel-gateway", SourceLocation.None);
    private readonly ConservationCheck _check = new();

    // One agent pod "a": accepted, sent, failed; the gateway accepted what tail_sampling received (kept + sampled out + pending).
    private static SpanConservation Reading(long accepted, long sent, long failed, long kept, long sampledOut, long pending = 0, long? gatewayAccepted = null) => new()
    {
        AcceptedAtAgents = accepted,
        AgentSent = sent,
        AgentSendFailed = failed,
        HeldAtAgents = new Dictionary<string, long> { ["a"] = accepted - sent - failed },
        GatewayAccepted = gatewayAccepted ?? kept + sampledOut + pending,
        Kept = kept,
        SampledOut = sampledOut,
        Pending = pending,
    };

    private static ConservationDrain Drain(params SpanConservation[] readings)
    {
        var drain = new ConservationDrain();
        foreach (var r in readings)
        {
            drain.Observe(r);
        }

        return drain;
    }

    [Fact]
    public void An_agent_seen_drained_once_proves_the_account_with_every_term_as_evidence()
    {
        // Given the agent held 20 spans at the first reading and none at the second (1000 = 105 kept + 880 sampled out + 5 failed + 10 pending)
        var drain = Drain(Reading(1000, 975, 5, 100, 865, pending: 10), Reading(1000, 995, 5, 105, 880, pending: 10));

        // When judged
        var result = _check.Judge(drain, "drained", At);

        // Then it passes with the equation spelled out
        Assert.Equal(CheckOutcome.Pass, result.Outcome);
        Assert.StartsWith("1000 accepted = 105 kept + 880 sampled out + 5 dropped with a reason + 10 awaiting a decision + 0 in flight at the agents; 0 unexplained", result.Summary, StringComparison.Ordinal);
        Assert.Equal(0, Assert.Single(result.Figures, f => f.Name == "unexplained").Value);
    }

    [Fact]
    public void Spans_an_agent_never_let_go_are_unexplained_loss()
    {
        // Given the agent held at least 7 spans at every reading (lost in its batch without a counter)
        var drain = Drain(Reading(1000, 980, 0, 100, 880), Reading(1000, 993, 0, 100, 893));

        var result = _check.Judge(drain, "waited 31 s", At);

        Assert.Equal(CheckOutcome.Fail, result.Outcome);
        var finding = Assert.Single(result.Findings);
        Assert.StartsWith("7 span(s) accepted at the agents never left them", finding.Message, StringComparison.Ordinal);
        Assert.Contains("a held at least 7", finding.Message, StringComparison.Ordinal);
        Assert.Contains("kept by the gateways' tail_sampling: 100", finding.Evidence);
        Assert.Contains("waited 31 s", finding.Evidence);
    }

    [Fact]
    public void An_agent_that_keeps_receiving_is_drained_once_all_it_held_at_the_first_reading_has_left()
    {
        // Given an agent never seen empty (probe traffic goes on): 20 held at the first reading, 6 newer ones later,
        // but what it had accepted by the first reading (1000) has all left it by the last (1004 sent)
        var drain = Drain(Streaming(1000, 980), Streaming(1010, 1004));

        Assert.Equal(0, drain.NeverDrained);
    }

    [Fact]
    public void An_agent_that_keeps_receiving_but_never_lets_go_of_older_spans_still_fails()
    {
        // Given 20 held at the first reading of 1000 accepted, and only 990 ever left while new spans kept arriving
        var drain = Drain(Streaming(1000, 980), Streaming(1030, 990));

        Assert.Equal(10, drain.NeverDrained);
    }

    private static SpanConservation Streaming(long accepted, long sent) => Reading(accepted, sent, 0, 0, sent) with
    {
        LeftAgents = new Dictionary<string, long> { ["a"] = sent },
    };

    [Fact]
    public void Spans_the_gateways_accepted_twice_fail_as_retransmissions()
    {
        // Given the gateways accepted 110 more spans than the agents sent, at every reading
        var drain = Drain(Reading(1000, 1000, 0, 200, 910, gatewayAccepted: 1110), Reading(1000, 1000, 0, 200, 910, gatewayAccepted: 1110));

        var result = _check.Judge(drain, "waited 31 s", At);

        Assert.Equal(CheckOutcome.Fail, result.Outcome);
        Assert.StartsWith("the gateways accepted 110 span(s) more than the agents sent", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void No_spans_at_all_is_a_skip() =>
        Assert.Equal(CheckOutcome.Skipped, _check.Judge(Drain(new SpanConservation()), "drained", At).Outcome);
}
