namespace OtelLab.Scenarios.Checks;

/// <summary>
/// Successive <see cref="SpanConservation"/> readings while the pipeline drains: per agent the least it was seen
/// holding (an upper bound on what it lost uncounted) and the least retransmission seen. An agent that keeps receiving
/// (kubelet probes and services with their own traffic go on after the load stops) may never be caught holding
/// nothing; it counts as drained once everything it had accepted at the first reading has left it.
/// </summary>
public sealed class ConservationDrain
{
    private readonly Dictionary<string, long> _minHeld = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _acceptedAtFirst = new(StringComparer.Ordinal);

    public SpanConservation? Last { get; private set; }

    public int Polls { get; private set; }

    public IReadOnlyDictionary<string, long> MinHeld => _minHeld;

    /// <summary>The least |gateways accepted − agents sent| seen, with its sign.</summary>
    public long MinRetransmitted { get; private set; }

    /// <summary>Spans some agent held at every reading: never seen leaving it.</summary>
    public long NeverDrained => _minHeld.Values.Sum(v => Math.Max(0, v));

    /// <summary>The least |gateways' receivers accepted − their tail_sampling received| seen, with its sign (0: the counters agree).</summary>
    public long MinResidual { get; private set; }

    public long Unexplained => Last is null ? 0 : NeverDrained + Math.Abs(MinRetransmitted) + Math.Abs(MinResidual);

    /// <summary>Every agent was seen holding nothing, the gateways were seen accepting exactly what the agents sent, and their counters agreed.</summary>
    public bool Proven => Last is not null && NeverDrained == 0 && MinRetransmitted == 0 && MinResidual == 0;

    public void Observe(SpanConservation reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        Last = reading;
        Polls++;
        foreach (var (pod, held) in reading.HeldAtAgents)
        {
            var stuck = held;
            if (reading.LeftAgents.TryGetValue(pod, out var left))
            {
                var accepted = _acceptedAtFirst.TryAdd(pod, held + left) ? held + left : _acceptedAtFirst[pod];
                stuck = Math.Min(held, Math.Max(0, accepted - left));
            }

            _minHeld[pod] = _minHeld.TryGetValue(pod, out var min) ? Math.Min(min, stuck) : stuck;
        }

        // A request in flight shows for a moment (the gateway counts it accepted before the agent counts it sent): keep the least seen.
        MinRetransmitted = Polls == 1 || Math.Abs(reading.Retransmitted) < Math.Abs(MinRetransmitted) ? reading.Retransmitted : MinRetransmitted;
        MinResidual = Polls == 1 || Math.Abs(reading.Residual) < Math.Abs(MinResidual) ? reading.Residual : MinResidual;
    }
}
