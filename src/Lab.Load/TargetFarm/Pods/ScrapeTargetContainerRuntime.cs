using OtelLab.Sim.Kubelet;
using OtelLab.Sim.Networking;

namespace OtelLab.Load.TargetFarm.Pods;

/// <summary>
/// Runs the farm image (<c>lab/scrape-target:*</c>) in process: each pod serves Prometheus text exposition on its pod
/// IP at every container port (the farm's raw-socket server, one listener per pod, one shared pre-rendered response),
/// and is Ready once bound. The open-file limit is checked across all farm pods of the process: a pod that would pass
/// it fails to start with the budget in its log instead of starving the rest. Pods keep their scrapers' connections
/// alive, as an exporter does, while the descriptors left beside the listeners allow (<see cref="KeepAliveBudget"/>).
/// </summary>
public sealed class ScrapeTargetContainerRuntime(TargetShape? shape = null, long? openFileLimit = null, int descriptorHeadroom = 1024, TimeSpan? seriesChurnInterval = null) : IContainerRuntime
{
    /// <summary>The image the generator puts in farm workloads.</summary>
    public const string Image = "lab/scrape-target:1";

    private readonly TargetShape _shape = shape ?? new TargetShape(MetricCount: 2, SeriesCount: 5, LabelCount: 2);
    private readonly long? _limit = openFileLimit ?? DescriptorBudget.SoftLimit();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<TargetFarm, byte> _running = new();
    // The open-file limit is the process's, and several labs can share a process (a test run): kept connections are
    // budgeted against every lab's farm listeners, and leave a quarter of the limit (at least twice the start-up
    // headroom) to everything else — the labs' other sockets and the scrapes that dial afresh. A per-lab budget let a
    // 9,000-target lab take the descriptors its neighbours in a test run needed (measured: their binds failed).
    private static int s_processListeners;
    private static KeepAliveBudget? s_keepAlive;
    private int _listeners;
    private int _scraped;

    /// <summary>Listening sockets of running farm pods.</summary>
    public int Listeners => Volatile.Read(ref _listeners);

    /// <summary>Farm pods (ports) that have served at least one scrape since they started: the first scrape round's progress.</summary>
    public int ScrapedTargets => Volatile.Read(ref _scraped);

    /// <summary>Scrapes the running farm pods have answered since they started (a gauge of scrape throughput).</summary>
    public long ScrapesServed => _running.Keys.Sum(f => f.RequestsServed);

    /// <summary>Raised with <see cref="ScrapedTargets"/> each time one more farm pod serves its first scrape.</summary>
    public event Action<int>? TargetScraped;

    public bool CanRun(string image) => image?.StartsWith("lab/scrape-target", StringComparison.Ordinal) == true;

    public Task<IContainerProcess> StartAsync(ContainerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ports = context.Container.Ports?.Select(p => p.ContainerPort).ToList() is { Count: > 0 } list ? list : [9100];
        var count = Interlocked.Add(ref _listeners, ports.Count);
        Interlocked.Add(ref s_processListeners, ports.Count);
        if (_limit is { } max && count + descriptorHeadroom > max)
        {
            Interlocked.Add(ref _listeners, -ports.Count);
            Interlocked.Add(ref s_processListeners, -ports.Count);
            throw new InvalidOperationException(
                $"descriptor budget: {count} farm listeners + {descriptorHeadroom} headroom exceed the open-file limit {max} (ulimit -n); raise it or run fewer targets");
        }

        var keepAlive = _limit is { } limit
            ? LazyInitializer.EnsureInitialized(ref s_keepAlive, () => new KeepAliveBudget(limit, (int)Math.Max(2L * descriptorHeadroom, limit / 4), static () => Volatile.Read(ref s_processListeners)))
            : null;
        var farms = new List<TargetFarm>();
        try
        {
            foreach (var port in ports)
            {
                var farm = TargetFarm.Start(new TargetFarmOptions
                {
                    Count = 1,
                    FirstAddress = context.PodAddress,
                    Port = port,
                    Shape = _shape,
                    SeriesChurnInterval = seriesChurnInterval,
                    OpenFileLimit = long.MaxValue,
                    KeepAliveBudget = keepAlive,
                    TimeProvider = context.Time,
                });
                farm.FirstScrapeServed += OnFirstScrape;
                farms.Add(farm);
                _running[farm] = 0;
            }
        }
        catch
        {
            Interlocked.Add(ref _listeners, -ports.Count);
            Interlocked.Add(ref s_processListeners, -ports.Count);
            foreach (var farm in farms)
            {
                _running.TryRemove(farm, out _);
                _ = farm.DisposeAsync().AsTask();
            }

            throw;
        }

        context.Readiness.Set(true);
        return Task.FromResult<IContainerProcess>(new Process(this, farms));
    }

    private void OnFirstScrape(TargetFarm _)
    {
        var scraped = Interlocked.Increment(ref _scraped);
        TargetScraped?.Invoke(scraped);
    }

    private sealed class Process(ScrapeTargetContainerRuntime runtime, List<TargetFarm> farms) : IContainerProcess
    {
        private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _stopped;

        public Task<int> Exited => _exited.Task;

        public Task StopAsync(CancellationToken cancellationToken) => ShutdownAsync();

        public async ValueTask DisposeAsync() => await ShutdownAsync().ConfigureAwait(false);

        private async Task ShutdownAsync()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 1)
            {
                await _exited.Task.ConfigureAwait(false);
                return;
            }

            // The exit is set even when a step throws: the kubelet stops, then disposes, and the second call waits on it.
            try
            {
                foreach (var farm in farms)
                {
                    runtime._running.TryRemove(farm, out _);
                    await farm.DisposeAsync().ConfigureAwait(false);
                }

                Interlocked.Add(ref runtime._listeners, -farms.Count);
                Interlocked.Add(ref s_processListeners, -farms.Count);
            }
            finally
            {
                _exited.TrySetResult(143);
            }
        }
    }
}
