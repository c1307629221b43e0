namespace OtelLab.Scenarios.Checks;

/// <summary>
/// The span account of the pipeline at one moment, with the terms the check judges by:
/// <c>accepted at the agents = kept + sampled out + dropped by policy + evicted before the decision + agents' send
/// failed + agents' enqueue failed + awaiting a decision + held at the agents − retransmitted</c>, where
/// held at an agent = accepted − sent − send failed − enqueue failed (its batch buffer and exporter queue: in flight,
/// or lost without a reason if it never drains) and retransmitted = the gateways' accepted − the agents' sent (spans
/// the gateways received twice when an agent retried a request they had already accepted).
/// The gateways' side is exact: their tail_sampling ledger holds received = kept + sampled out + dropped + pending.
/// </summary>
public sealed record SpanConservation
{
    public long AcceptedAtAgents { get; init; }

    public long AgentSent { get; init; }

    public long AgentSendFailed { get; init; }

    public long AgentEnqueueFailed { get; init; }

    /// <summary>Per agent pod: accepted − sent − send failed − enqueue failed.</summary>
    public IReadOnlyDictionary<string, long> HeldAtAgents { get; init; } = new Dictionary<string, long>();

    /// <summary>Per agent pod: what has left it so far (sent + send failed + enqueue failed); empty when not read.</summary>
    public IReadOnlyDictionary<string, long> LeftAgents { get; init; } = new Dictionary<string, long>();

    public long GatewayAccepted { get; init; }

    public long Kept { get; init; }

    public long SampledOut { get; init; }

    public long DroppedByPolicy { get; init; }

    public long DroppedTooEarly { get; init; }

    /// <summary>Buffered in tail_sampling awaiting a decision (exact, from its ledger): in flight, not a loss.</summary>
    public long Pending { get; init; }

    /// <summary>Refused at the agents' processors (memory_limiter): refused before acceptance, so not in <see cref="AcceptedAtAgents"/>; shown for context.</summary>
    public long AgentRefused { get; init; }

    /// <summary>Refused by the gateways' receivers: the agents retry, and what they give up on is in <see cref="AgentSendFailed"/>; shown for context.</summary>
    public long GatewayRefused { get; init; }

    public long HeldAtAgentsTotal => AcceptedAtAgents - AgentSent - AgentSendFailed - AgentEnqueueFailed;

    public long Retransmitted => GatewayAccepted - AgentSent;

    /// <summary>Dropped with a recorded reason.</summary>
    public long DroppedWithReason => DroppedByPolicy + DroppedTooEarly + AgentSendFailed + AgentEnqueueFailed;

    /// <summary>What the gateways' ledgers and the agents' failure counters account for.</summary>
    public long Explained => Kept + SampledOut + DroppedWithReason;

    /// <summary>Accepted at the agents and not explained, pending, held or retransmitted: 0 when every counter agrees.</summary>
    public long Residual => AcceptedAtAgents - Explained - Pending - HeldAtAgentsTotal + Retransmitted;

    /// <summary>Each term, for evidence.</summary>
    public IReadOnlyList<string> Terms() =>
    [
        $"accepted at the agents (otelcol_receiver_accepted_spans): {AcceptedAtAgents}",
        $"kept by the gateways' tail_sampling: {Kept}",
        $"sampled out (NotSampled): {SampledOut}",
        $"dropped by a drop policy: {DroppedByPolicy}",
        $"evicted before the decision (num_traces; sampling_trace_dropped_too_early): {DroppedTooEarly}",
        $"agents' exporters send failed (otelcol_exporter_send_failed_spans): {AgentSendFailed}",
        $"agents' exporters enqueue failed (queue full; otelcol_exporter_enqueue_failed_spans): {AgentEnqueueFailed}",
        $"awaiting a decision in tail_sampling: {Pending}",
        $"held at the agents now (accepted − sent − failed): {HeldAtAgentsTotal} ({string.Join(", ", HeldAtAgents.Select(kv => $"{kv.Key} {kv.Value}"))})",
        $"retransmitted (gateways accepted {GatewayAccepted} − agents sent {AgentSent}): {Retransmitted}",
        $"residual: {AcceptedAtAgents} − {Explained} − {Pending} − {HeldAtAgentsTotal} + {Retransmitted} = {Residual}",
        $"for context, not in the sum: refused at the agents' processors (memory_limiter) {AgentRefused}, refused by the gateways' receivers {GatewayRefused}",
    ];
}
