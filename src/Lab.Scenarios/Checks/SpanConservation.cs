namespace OtelLab.Scenarios.Checks;

/// <summary>
/// The span account of one moment of the pipeline: what the agents accepted against where it went. Explained =
/// kept + sampled out + dropped by a drop policy + evicted before the decision (the gateways' tail_sampling ledger)
/// + failed to send or enqueue at the agents' exporters. Pending = buffered in tail_sampling awaiting a decision.
/// </summary>
public sealed record SpanConservation
{
    public long AcceptedAtAgents { get; init; }

    public long Kept { get; init; }

    public long SampledOut { get; init; }

    public long DroppedByPolicy { get; init; }

    public long DroppedTooEarly { get; init; }

    public long AgentSendFailed { get; init; }

    public long AgentEnqueueFailed { get; init; }

    public long Pending { get; init; }

    /// <summary>Refused at the agents' processors (memory_limiter): refused before acceptance, so not in <see cref="AcceptedAtAgents"/>; shown for context.</summary>
    public long AgentRefused { get; init; }

    /// <summary>Refused by the gateways' receivers: the agents retry, and what they give up on is in <see cref="AgentSendFailed"/>; shown for context.</summary>
    public long GatewayRefused { get; init; }

    public long Explained => Kept + SampledOut + DroppedByPolicy + DroppedTooEarly + AgentSendFailed + AgentEnqueueFailed;

    /// <summary>Accepted and neither explained nor pending: lost without a recorded reason (negative: counted twice).</summary>
    public long Unexplained => AcceptedAtAgents - Explained - Pending;

    /// <summary>Every span is accounted for and nothing waits for a decision.</summary>
    public bool Balanced => Unexplained == 0 && Pending == 0;

    /// <summary>Each term of the equation, for evidence.</summary>
    public IReadOnlyList<string> Terms() =>
    [
        $"accepted at the agents (otelcol_receiver_accepted_spans): {AcceptedAtAgents}",
        $"kept by the gateways' tail_sampling: {Kept}",
        $"sampled out (NotSampled): {SampledOut}",
        $"dropped by a drop policy: {DroppedByPolicy}",
        $"evicted before the decision (num_traces; sampling_trace_dropped_too_early): {DroppedTooEarly}",
        $"agents' exporters send failed (otelcol_exporter_send_failed_spans): {AgentSendFailed}",
        $"agents' exporters enqueue failed (queue full; otelcol_exporter_enqueue_failed_spans): {AgentEnqueueFailed}",
        $"still pending a decision in tail_sampling: {Pending}",
        $"unexplained: {AcceptedAtAgents} − {Explained} − {Pending} = {Unexplained}",
        $"for context, not in the sum: refused at the agents' processors (memory_limiter) {AgentRefused}, refused by the gateways' receivers {GatewayRefused}",
    ];
}
