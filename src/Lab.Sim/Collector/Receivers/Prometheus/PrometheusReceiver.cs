using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OtelLab.Model.Time;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Receivers.Prometheus.Internal;
using OtelLab.Sim.Collector.Telemetry;
using OtelLab.Sim.Collector.Traces;
using OtelLab.Sim.Kubelet;
using OtelLab.Sim.Relabeling;
using OtelLab.Sim.TargetAllocation;
using OtelLab.Sim.Networking;

namespace OtelLab.Sim.Collector.Receivers.Prometheus;

/// <summary>
/// The emulated prometheus receiver (upstream: contrib receiver/prometheusreceiver). Static <c>scrape_configs</c> are
/// scraped as given. With <c>target_allocator</c> it polls <c>/scrape_configs</c> every <c>interval</c> and, per job,
/// runs http_sd against <c>/jobs/&lt;job&gt;/targets?collector_id=&lt;id&gt;</c> with a 30 s refresh (upstream
/// targetallocator/manager.go), so each replica scrapes only its slice. Scrapes go out from the pod's address at each
/// job's <c>scrape_interval</c>, spread by a per-target offset like Prometheus' scrape loop; every duration is divided
/// by the container's time scale. Each scrape's points (plus <c>up</c> and <c>scrape_*</c>) go to the next consumer
/// and are counted in <c>otelcol_receiver_accepted_metric_points{receiver,transport="http"}</c> (refused ones in
/// <c>otelcol_receiver_refused_metric_points</c>). Failures never throw: they are counted, logged once and surface as
/// <c>up</c> 0.
/// </summary>
public sealed class PrometheusReceiver : ICollectorComponent, IMetricConsumer
{
    /// <summary>upstream: the instrumentation scope of every point the receiver produces.</summary>
    public const string ScopeName = "otelcol/prometheusreceiver";

    /// <summary>upstream targetallocator/manager.go: http_sd refresh when no http_sd_config is set.</summary>
    public static readonly TimeSpan HttpSdRefreshInterval = TimeSpan.FromSeconds(30);

    /// <summary>prometheus/common config/http_config.go: the scrape client's <c>IdleConnTimeout</c>.</summary>
    public static readonly TimeSpan PrometheusIdleConnTimeout = TimeSpan.FromMinutes(5);

    // The scrape's own deadline, carried on its request to the connect callback.
    private static readonly HttpRequestOptionsKey<CancellationToken> ScrapeDeadline = new("otel-lab.scrape-deadline");

    private readonly PrometheusReceiverSettings _settings;
    private readonly IMetricConsumer _next;
    private readonly ContainerContext _container;
    private readonly string _id;
    private readonly CounterMetric _accepted;
    private readonly CounterMetric _refused;
    private readonly KeyValuePair<string, string>[] _metricLabels;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JobState> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _loggedErrors = new(StringComparer.Ordinal);
    private Task _taLoop = Task.CompletedTask;
    private string? _scrapeConfigsBody;

    public PrometheusReceiver(PrometheusReceiverSettings settings, IMetricConsumer next, ContainerContext container, MetricRegistry telemetry, string id = "prometheus")
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(telemetry);
        _settings = settings;
        _next = next;
        _container = container;
        _id = id;
        _accepted = telemetry.CounterOrExisting("otelcol_receiver_accepted_metric_points", "Number of metric points successfully pushed into the pipeline.");
        _refused = telemetry.CounterOrExisting("otelcol_receiver_refused_metric_points", "Number of metric points that could not be pushed into the pipeline.");
        _metricLabels = [KeyValuePair.Create("receiver", id), KeyValuePair.Create("transport", "http")];
        var local = container.PodAddress;
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            // Prometheus keeps each target's connection alive between scrapes, idle up to 5 minutes (prometheus/common
            // config/http_config.go defaultHTTPClientOptions: keepAlivesEnabled, idleConnTimeout 5m) — in lab time
            // here. Targets that cannot afford the descriptors answer Connection: close (the farm's KeepAliveBudget),
            // and a connection attempt that outlived its scrape is closed (below), so idle connections stay within
            // the open-file limit.
            // Prometheus has one scrape in flight per target, so one connection per target is all a scrape pool needs.
            PooledConnectionIdleTimeout = container.Time is LabClock clock ? clock.ToWallTime(PrometheusIdleConnTimeout) : PrometheusIdleConnTimeout,
            MaxConnectionsPerServer = 1,
            // Connections leave from the pod's own address, as a pod's do (what the target and kube-proxy see).
            // The handler opens a connection apart from the request that asked for it and pools it when the request is
            // gone: a scrape that timed out while connecting left an idle connection per target, both ends in this
            // process (2,334 such pairs measured with ss at 900 scrapes/s, which then hit the descriptor limit). So the
            // connect also ends with the scrape that asked for it, and a connection that outlived its scrape is closed.
            ConnectCallback = async (ctx, token) =>
            {
                var scrape = ctx.InitialRequestMessage.Options.TryGetValue(ScrapeDeadline, out var deadline) ? deadline : CancellationToken.None;
                using var both = CancellationTokenSource.CreateLinkedTokenSource(token, scrape);
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    SourceAddress.Bind(socket, local);
                    await socket.ConnectAsync(new IPEndPoint(Resolve(container, ctx.DnsEndPoint.Host), ctx.DnsEndPoint.Port), both.Token).ConfigureAwait(false);
                    scrape.ThrowIfCancellationRequested();
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    // Names resolve through the cluster's DNS as the pod sees it (the TA's Service name, the search path).
    private static IPAddress Resolve(ContainerContext container, string host)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
        {
            return ip;
        }

        return container.Resolver.Resolve(host, container.ResolverContext).FirstOrDefault()
            ?? throw new HttpRequestException($"dial tcp: lookup {host}: no such host");
    }

    /// <summary>Points accepted by the next consumer so far (this receiver only).</summary>
    public long AcceptedPoints => Interlocked.Read(ref _acceptedPoints);

    private long _acceptedPoints;

    /// <summary>The jobs currently configured (static and from the TA).</summary>
    public IReadOnlyCollection<string> Jobs
    {
        get
        {
            lock (_gate)
            {
                return [.. _jobs.Keys];
            }
        }
    }

    /// <summary>The active targets with their last scrape.</summary>
    public IReadOnlyList<ScrapeTargetStatus> Targets
    {
        get
        {
            lock (_gate)
            {
                return [.. _jobs.Values.SelectMany(j => j.Loops.Values).Select(l => l.Status)];
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var config in _settings.ScrapeConfigs)
        {
            var job = AddJob(config);
            Reconcile(job, [.. config.StaticConfigs.Select(s => (s.Targets, (IReadOnlyList<KeyValuePair<string, string>>)[.. (s.Labels ?? LabelSet.Empty).Select(l => KeyValuePair.Create(l.Name, l.Value))]))]);
        }

        if (_settings.TargetAllocatorEndpoint is not null)
        {
            _taLoop = Task.Run(() => TargetAllocatorLoopAsync(_stop.Token), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        List<Task> running;
        lock (_gate)
        {
            running = [.. _jobs.Values.SelectMany(j => j.Loops.Values.Select(l => l.Task).Append(j.SdLoop))];
            _jobs.Clear();
        }

        running.Add(_taLoop);
        try
        {
            await Task.WhenAll(running).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // loops end by cancellation
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            // A loop that failed is logged, not rethrown: a shutdown that throws leaves its container's stop half done.
            LogOnce($"a scrape loop ended with an error at shutdown\terror: {ex.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await ShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        }

        _http.Dispose();
        _stop.Dispose();
    }

    /// <summary>A receiver consumes nothing; present so the pipeline can treat it as a metrics node.</summary>
    ValueTask IMetricConsumer.ConsumeAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    private async Task TargetAllocatorLoopAsync(CancellationToken stop)
    {
        var endpoint = _settings.TargetAllocatorEndpoint!.ToString().TrimEnd('/');
        // Until the first sync succeeds the receiver retries on upstream's start-up back-off, then on its interval.
        TargetAllocatorSyncBackOff? starting = new();
        while (!stop.IsCancellationRequested)
        {
            var wait = _settings.TargetAllocatorInterval;
            try
            {
                var body = await _http.GetStringAsync(new Uri(endpoint + "/scrape_configs"), stop).ConfigureAwait(false);
                if (body != _scrapeConfigsBody)
                {
                    ApplyTargetAllocatorJobs(TargetAllocatorJson.ScrapeConfigs(body), endpoint);
                    _scrapeConfigsBody = body;
                }

                starting = null;
            }
            catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException or FormatException or ArgumentException && !stop.IsCancellationRequested)
            {
                // upstream logs "Failed to retrieve job list" and retries: at start on its back-off, then on the next interval.
                LogOnce($"Failed to retrieve job list\terror: {ex.Message}");
                if (starting is not null)
                {
                    wait = starting.Next(ex);
                }
            }
            catch (Exception ex) when (stop.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                return;
            }

            try
            {
                await Task.Delay(wait, _container.Time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void ApplyTargetAllocatorJobs(IReadOnlyList<ScrapeConfig> configs, string endpoint)
    {
        var staticJobs = _settings.ScrapeConfigs.Select(c => c.JobName).ToHashSet(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var gone in _jobs.Keys.Where(j => !staticJobs.Contains(j) && configs.All(c => c.JobName != j)).ToList())
            {
                _jobs[gone].Stop();
                _jobs.Remove(gone);
            }
        }

        foreach (var config in configs.Where(c => !staticJobs.Contains(c.JobName)))
        {
            JobState job;
            lock (_gate)
            {
                if (_jobs.TryGetValue(config.JobName, out var existing) && existing.Config == config)
                {
                    continue;
                }

                existing?.Stop();
                job = AddJob(config);
            }

            var url = new Uri($"{endpoint}/jobs/{Uri.EscapeDataString(config.JobName)}/targets?collector_id={Uri.EscapeDataString(_settings.CollectorId)}");
            job.SdLoop = Task.Run(() => HttpSdLoopAsync(job, url), CancellationToken.None);
        }
    }

    private JobState AddJob(ScrapeConfig config)
    {
        var job = new JobState(config, CancellationTokenSource.CreateLinkedTokenSource(_stop.Token));
        lock (_gate)
        {
            _jobs[config.JobName] = job;
        }

        return job;
    }

    private async Task HttpSdLoopAsync(JobState job, Uri url)
    {
        var stop = job.Stopping.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var body = await ReadSdBodyAsync(job, url, stop).ConfigureAwait(false);
                // The same answer as last time reconciles to the same targets (Prometheus's scrape pool syncs them by
                // hash and keeps every loop): skip decoding and relabelling thousands of unchanged targets.
                if (job.LastSdBody is not { } last || !body.Span.SequenceEqual(last))
                {
                    Reconcile(job, TargetAllocatorJson.HttpSd(System.Text.Encoding.UTF8.GetString(body.Span)));
                    job.LastSdBody = body.ToArray();
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException && !stop.IsCancellationRequested)
            {
                LogOnce($"Unable to refresh target groups\tdiscovery: http\tconfig: {job.Config.JobName}\terror: {ex.Message}");
            }
            catch (Exception ex) when (!stop.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                // Discovery keeps refreshing whatever one refresh met (upstream's http_sd refresh loop logs and waits for
                // the next tick); a dead loop would freeze the job's targets without a word.
                LogOnce($"Unable to refresh target groups\tdiscovery: http\tconfig: {job.Config.JobName}\terror: {ex.GetType().Name}: {ex.Message}");
            }
            catch (Exception ex) when (stop.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                return;
            }

            try
            {
                await Task.Delay(HttpSdRefreshInterval, _container.Time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Reads an http_sd answer into the job's own buffer, kept between polls: an answer of 9,000 targets is megabytes,
    /// and reading each poll into a new array put two large-object allocations on every refresh of every replica
    /// (8 % of a 9,000-target lab's large-object bytes, measured). Non-success statuses throw as
    /// <see cref="HttpClient.GetByteArrayAsync(Uri?, CancellationToken)"/> does.
    /// </summary>
    private async Task<ReadOnlyMemory<byte>> ReadSdBodyAsync(JobState job, Uri url, CancellationToken stop)
    {
        using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, stop).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var stream = await response.Content.ReadAsStreamAsync(stop).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = job.SdBuffer ??= new byte[Math.Max(64 * 1024, (int)Math.Min(response.Content.Headers.ContentLength ?? 0, int.MaxValue / 2))];
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                    job.SdBuffer = buffer;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), stop).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer.AsMemory(0, length);
                }

                length += read;
            }
        }
    }

    /// <summary>
    /// Applies a job's discovered groups: Prometheus' target labels (upstream scrape/target.go PopulateLabels: job,
    /// __scheme__, __metrics_path__, __scrape_interval__, __scrape_timeout__, then relabel_configs, instance defaults to
    /// __address__, __-prefixed labels dropped), starting loops for new targets and stopping gone ones.
    /// </summary>
    private void Reconcile(JobState job, IReadOnlyList<(IReadOnlyList<string> Targets, IReadOnlyList<KeyValuePair<string, string>> Labels)> groups)
    {
        var config = job.Config;
        var desired = new Dictionary<string, (string Address, LabelSet Labels)>(StringComparer.Ordinal);
        var builder = new LabelBuilder(LabelSet.Empty);
        foreach (var (targets, labels) in groups)
        {
            foreach (var address in targets)
            {
                builder.Reset(LabelSet.Empty);
                foreach (var (k, v) in labels)
                {
                    builder.Set(k, v);
                }

                builder.Set(Label.Address, address);
                SetIfMissing(builder, "job", config.JobName);
                SetIfMissing(builder, "__scheme__", config.Scheme);
                SetIfMissing(builder, "__metrics_path__", config.MetricsPath);
                SetIfMissing(builder, "__scrape_interval__", TargetAllocation.Http.Internal.ScrapeConfigJson.Duration(config.ScrapeInterval));
                SetIfMissing(builder, "__scrape_timeout__", TargetAllocation.Http.Internal.ScrapeConfigJson.Duration(config.ScrapeTimeout));
                if (config.RelabelConfigs.Count > 0 && !Relabeler.Process(builder, config.RelabelConfigs))
                {
                    continue;
                }

                var relabeled = builder.Labels();
                var finalAddress = relabeled.Get(Label.Address);
                if (finalAddress.Length == 0)
                {
                    continue;
                }

                var final = new LabelBuilder(LabelSet.Empty);
                foreach (var label in relabeled)
                {
                    if (!label.Name.StartsWith("__", StringComparison.Ordinal))
                    {
                        final.Set(label.Name, label.Value);
                    }
                }

                SetIfMissing(final, "instance", finalAddress);
                var finalLabels = final.Labels();
                desired[finalLabels.ToString()] = (finalAddress, finalLabels);
            }
        }

        lock (_gate)
        {
            if (job.Stopping.IsCancellationRequested)
            {
                return;
            }

            foreach (var gone in job.Loops.Keys.Where(k => !desired.ContainsKey(k)).ToList())
            {
                job.Loops[gone].Stop();
                job.Loops.Remove(gone);
            }

            foreach (var (key, (address, labels)) in desired)
            {
                if (!job.Loops.ContainsKey(key))
                {
                    var loop = new ScrapeLoop(this, config, address, labels, key, CancellationTokenSource.CreateLinkedTokenSource(job.Stopping.Token));
                    job.Loops[key] = loop;
                    loop.Start();
                }
            }
        }
    }

    private static void SetIfMissing(LabelBuilder builder, string name, string value)
    {
        if (builder.Get(name).Length == 0)
        {
            builder.Set(name, value);
        }
    }

    private void LogOnce(string message)
    {
        if (_loggedErrors.TryAdd(message, 0))
        {
            _container.Log.Write(message);
        }
    }

    private async Task DeliverAsync(List<MetricPoint> points, CancellationToken stop)
    {
        try
        {
            await _next.ConsumeAsync(points, stop).ConfigureAwait(false);
            _accepted.Add(points.Count, _metricLabels);
            Interlocked.Add(ref _acceptedPoints, points.Count);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && !stop.IsCancellationRequested)
        {
            _refused.Add(points.Count, _metricLabels);
            LogOnce($"Failed to send metrics\treceiver: {_id}\terror: {ex.Message}");
        }
    }

    private sealed class JobState(ScrapeConfig config, CancellationTokenSource stopping)
    {
        public ScrapeConfig Config { get; } = config;

        public CancellationTokenSource Stopping { get; } = stopping;

        public Dictionary<string, ScrapeLoop> Loops { get; } = new(StringComparer.Ordinal);

        public Task SdLoop { get; set; } = Task.CompletedTask;

        /// <summary>The last http_sd answer reconciled (null before the first).</summary>
        public byte[]? LastSdBody { get; set; }

        /// <summary>Where each http_sd answer is read (grown to the largest answer, kept between polls).</summary>
        public byte[]? SdBuffer { get; set; }

        public void Stop()
        {
            Stopping.Cancel();
            foreach (var loop in Loops.Values)
            {
                loop.Stop();
            }
        }
    }

    private sealed class ScrapeLoop(PrometheusReceiver receiver, ScrapeConfig config, string address, LabelSet labels, string key, CancellationTokenSource stopping)
    {
        private readonly Lock _statusGate = new();
        private readonly ScrapeCache _cache = new();
        private ScrapeTargetStatus _status = new(config.JobName, address, labels.Get("instance"), null, null, false, null, 0);

        public Task Task { get; private set; } = Task.CompletedTask;

        public ScrapeTargetStatus Status
        {
            get
            {
                lock (_statusGate)
                {
                    return _status;
                }
            }
        }

        public void Start() => Task = Task.Run(RunAsync, CancellationToken.None);

        public void Stop()
        {
            try
            {
                stopping.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The loop has already ended and released its token; there is nothing left to stop.
            }
        }

        private async Task RunAsync()
        {
            var stop = stopping.Token;
            // Lab time: the lab clock scales both (upstream validates scrape_timeout <= scrape_interval).
            var interval = config.ScrapeInterval;
            var timeout = LabClock.TimeoutOf(receiver._container.Time, TimeSpan.FromTicks(Math.Min(interval.Ticks, config.ScrapeTimeout.Ticks)), TimeSpan.FromSeconds(1));
            var builder = Builder();
            try
            {
                // upstream scrape.go: each target starts at a stable offset within the interval (hash of its labels).
                var offset = TimeSpan.FromTicks((long)(unchecked((uint)StableHash(key)) % (ulong)Math.Max(1, interval.Ticks)));
                await Task.Delay(offset, receiver._container.Time, stop).ConfigureAwait(false);
                using var timer = new PeriodicTimer(interval, receiver._container.Time);
                do
                {
                    await ScrapeOnceAsync(builder, timeout, stop).ConfigureAwait(false);
                }
                while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
            }
            catch (Exception ex) when (stop.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                // Target gone or receiver stopped. Not only cancellation: a scrape or a delivery that failed for another
                // reason (a target pod stopping beside this collector refuses the connection) while the stop was
                // requested must not fault the loop, or the receiver's shutdown would throw it.
            }
            finally
            {
                stopping.Dispose();
            }
        }

        private PointBuilder Builder()
        {
            // upstream prom_to_otlp.go CreateResource (v0.105): service.name = job, service.instance.id = instance,
            // net.host.name (only for a discernible host), net.host.port, http.scheme. The sim's pod addresses stand for
            // pod IPs, so only 127.0.0.1/localhost count as not discernible here.
            var (host, port) = SplitHostPort(labels.Get("instance"));
            var attributes = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
            {
                ["service.name"] = labels.Get("job"),
                ["service.instance.id"] = labels.Get("instance"),
            };
            if (host is not ("127.0.0.1" or "localhost" or "0.0.0.0" or "::1" or ""))
            {
                attributes["net.host.name"] = host;
            }

            attributes["net.host.port"] = port;
            attributes["http.scheme"] = config.Scheme;
            var targetLabels = labels.Where(l => l.Name is not ("job" or "instance")).Select(l => KeyValuePair.Create(l.Name, l.Value)).ToList();
            return new PointBuilder(new TelemetryResource(attributes), targetLabels, ScopeName, config.HonorLabels);
        }

        private async Task ScrapeOnceAsync(PointBuilder builder, TimeSpan timeout, CancellationToken stop)
        {
            var time = receiver._container.Time;
            var startedAt = time.GetUtcNow();
            var now = (ulong)(startedAt.ToUnixTimeMilliseconds() * 1_000_000);
            var started = Stopwatch.GetTimestamp();
            List<MetricPoint> points;
            string? error = null;
            var scraped = 0;
            try
            {
                using var deadline = new CancellationTokenSource(timeout, time);
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(stop, deadline.Token);
                string? body = null;
                await ScrapeSlots.WaitAsync(cts.Token).ConfigureAwait(false);
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{config.Scheme}://{address}{config.MetricsPath}"));
                    request.Headers.TryAddWithoutValidation("Accept", "text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
                    request.Options.Set(ScrapeDeadline, cts.Token);
                    using var response = await receiver._http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cts.Token).ConfigureAwait(false);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        error = $"server returned HTTP status {(int)response.StatusCode} {response.ReasonPhrase}";
                    }
                    else
                    {
                        // The body's bytes as they are, read as UTF-8 whatever charset the Content-Type names: upstream
                        // scrape.go (targetScraper.readResponse) copies the bytes and textparse reads them as Go strings,
                        // the Content-Type choosing only the parser. ReadAsStringAsync would decode an iso-8859-1 body
                        // differently and throw on a charset .NET does not know.
                        body = System.Text.Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync(cts.Token).ConfigureAwait(false));
                    }
                }
                finally
                {
                    ScrapeSlots.Release();
                }

                if (body is null)
                {
                    points = [];
                }
                else if (ExpositionParser.TryParse(body, out var samples, out var types, out var parseError, _cache))
                {
                    scraped = samples.Count;
                    points = builder.Build(MetricRelabel(samples), types, now, (metric, reason) =>
                        receiver.LogOnce($"failed to add datapoint\terror: {reason}\tmetric_name: {metric}\ttarget: {address}"));
                }
                else
                {
                    error = parseError;
                    points = [];
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException && !stop.IsCancellationRequested)
            {
                error = ex is OperationCanceledException ? "context deadline exceeded" : ex.Message;
                points = [];
            }
            catch (Exception ex) when (!stop.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                // upstream scrape.go: a scrape's failure is the target's health (up 0, lastError) and the loop scrapes again
                // at its next tick; nothing a scrape meets ends its loop. A loop that died here would leave its target
                // known, down and without an error for good.
                error = $"{ex.GetType().Name}: {ex.Message}";
                receiver.LogOnce($"Scrape failed unexpectedly\tjob: {config.JobName}\terror: {error}");
                points = [];
            }

            var up = error is null;
            _cache.IterDone(up);
            var duration = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var postRelabel = up ? points.Count : 0;
            points.Add(builder.Synthetic("up", up ? 1 : 0, now));
            points.Add(builder.Synthetic("scrape_duration_seconds", duration, now));
            points.Add(builder.Synthetic("scrape_samples_scraped", scraped, now));
            points.Add(builder.Synthetic("scrape_samples_post_metric_relabeling", postRelabel, now));
            points.Add(builder.Synthetic("scrape_series_added", _status.Scrapes == 0 ? postRelabel : 0, now));
            await receiver.DeliverAsync(points, stop).ConfigureAwait(false);
            lock (_statusGate)
            {
                _status = _status with
                {
                    LastScrape = startedAt,
                    LastSuccess = up ? startedAt : _status.LastSuccess,
                    Up = up,
                    LastError = error,
                    Scrapes = _status.Scrapes + 1,
                    Series = postRelabel,
                };
            }
        }

        private List<ExpositionSample> MetricRelabel(List<ExpositionSample> samples)
        {
            if (config.MetricRelabelConfigs.Count == 0)
            {
                return samples;
            }

            var kept = new List<ExpositionSample>(samples.Count);
            foreach (var sample in samples)
            {
                var set = LabelSet.From([new Label("__name__", sample.Name), .. sample.Labels.Select(l => new Label(l.Key, l.Value))]);
                if (Relabeler.Process(set, config.MetricRelabelConfigs) is { } relabeled)
                {
                    kept.Add(new ExpositionSample(
                        relabeled.Get("__name__"),
                        [.. relabeled.Where(l => l.Name != "__name__").Select(l => KeyValuePair.Create(l.Name, l.Value))],
                        sample.Value));
                }
            }

            return kept;
        }

        private static (string Host, string Port) SplitHostPort(string instance)
        {
            var colon = instance.LastIndexOf(':');
            return colon < 0 ? (instance, string.Empty) : (instance[..colon].Trim('[', ']'), instance[(colon + 1)..]);
        }

        private static int StableHash(string text)
        {
            var hash = 2166136261u;
            foreach (var c in text)
            {
                hash = (hash ^ c) * 16777619u;
            }

            return unchecked((int)hash);
        }
    }
}
