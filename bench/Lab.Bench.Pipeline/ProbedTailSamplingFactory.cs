using System.Collections.Concurrent;
using System.Diagnostics;
using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Processors.TailSampling;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Bench.Pipeline;

/// <summary>
/// The lab's <c>tail_sampling</c> processor (the same <see cref="TailSamplingProcessor"/> the catalog builds), with a
/// probe for the benchmark: it notes when each trace id first reaches the processor and, after every 1 s decision
/// tick (upstream samplingPolicyOnTick; the bench drives <see cref="TailSamplingProcessor.TickAsync"/> on the same 1 s
/// period the processor's own ticker uses), which traces got a decision. Decision latency = decision time −
/// (first arrival + decision_wait), i.e. how long a trace waits after its decision_wait expired.
/// </summary>
internal sealed class ProbedTailSamplingFactory : IComponentFactory
{
    private readonly ConcurrentBag<Probe> _probes = [];

    public string Type => "tail_sampling";

    public ComponentKind Kind => ComponentKind.Processor;

    public IReadOnlySet<string> Signals { get; } = new HashSet<string>(StringComparer.Ordinal) { "traces" };

    /// <summary>Spans kept (released to the next consumer) by every processor built so far.</summary>
    public long KeptSpans => _probes.Sum(p => p.Ledger.SpansWith(TraceOutcome.Kept));

    /// <summary>Spans still waiting for a decision.</summary>
    public long PendingSpans => _probes.Sum(p => p.Ledger.Pending);

    /// <summary>Spans that reached a tail_sampling processor.</summary>
    public long ReceivedSpans => _probes.Sum(p => p.Ledger.Received);

    /// <summary>Traces decided, and how long after their decision_wait expiry (milliseconds).</summary>
    public IReadOnlyList<double> DecisionLatenciesMs => [.. _probes.SelectMany(p => p.LatenciesMs)];

    public ICollectorComponent Create(ComponentCreateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var config = TailSamplingConfig.Parse(context.Settings);
        var ledger = new TailSamplingLedger(keepPerTrace: true);
        var processor = new TailSamplingProcessor(
            config, context.NextTraces ?? TraceConsumer.Discard, context.Time, new TailSamplingTelemetry(context.Telemetry), ledger, context.Id.Name ?? string.Empty);
        var probe = new Probe(processor, ledger, config.DecisionWait);
        _probes.Add(probe);
        return probe;
    }

    private sealed class Probe(TailSamplingProcessor processor, TailSamplingLedger ledger, TimeSpan decisionWait) : ICollectorComponent, ITraceConsumer
    {
        private readonly ConcurrentDictionary<TraceId, long> _firstArrival = new();
        private readonly ConcurrentDictionary<TraceId, long> _undecided = new();
        private readonly ConcurrentQueue<double> _latencies = new();
        private readonly CancellationTokenSource _stop = new();
        private Task? _ticker;

        public TailSamplingLedger Ledger => ledger;

        public IEnumerable<double> LatenciesMs => _latencies;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ticker = Task.Run(TickAsync, CancellationToken.None);
            return Task.CompletedTask;
        }

        public async Task ShutdownAsync(CancellationToken cancellationToken)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            if (_ticker is not null)
            {
                await _ticker.ConfigureAwait(false);
            }

            await processor.DisposeAsync().ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            await ShutdownAsync(CancellationToken.None).ConfigureAwait(false);
            _stop.Dispose();
        }

        public ValueTask ConsumeAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken)
        {
            var now = Stopwatch.GetTimestamp();
            foreach (var span in spans)
            {
                if (_firstArrival.TryAdd(span.TraceId, now))
                {
                    _undecided[span.TraceId] = now;
                }
            }

            return processor.ConsumeAsync(spans, cancellationToken);
        }

        private async Task TickAsync()
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                {
                    await processor.TickAsync(_stop.Token).ConfigureAwait(false);
                    var decided = Stopwatch.GetTimestamp();
                    foreach (var (id, arrival) in _undecided)
                    {
                        if (ledger.OutcomeOf(id) is not null && _undecided.TryRemove(id, out _))
                        {
                            _latencies.Enqueue((Stopwatch.GetElapsedTime(arrival, decided) - decisionWait).TotalMilliseconds);
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // shutdown
            }
        }
    }
}
