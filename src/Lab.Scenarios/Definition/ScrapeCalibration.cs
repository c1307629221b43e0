using System.Diagnostics;
using System.Globalization;
using System.Net;
using OtelLab.Load.TargetFarm;
using OtelLab.Sim.Collector.Receivers.Prometheus.Internal;

namespace OtelLab.Scenarios.Definition;

/// <summary>
/// What scraping costs on this machine, measured at start instead of assumed: for a second or two, a small target farm
/// serves the scenario's shape on real loopback sockets and an HTTP client configured like the prometheus receiver's
/// scrapes it as fast as it can (a GET over a fresh connection, the exposition text parsed by the receiver's parser,
/// every line in full as on a target's first scrape: without the scrape loop's series cache, so the budget's factor for
/// the rest of the pipeline stays measured against the same bare scrape).
/// The figure includes what a constant cannot know: this kernel's cost of a connection, this CPU, and whatever else
/// the machine is running right now.
/// </summary>
/// <param name="Scrapes">Scrapes completed in the window.</param>
/// <param name="Failed">Scrapes that failed (a sign of a machine already overloaded).</param>
/// <param name="SamplesPerScrape">Samples each scrape parsed.</param>
/// <param name="Elapsed">The window's wall time.</param>
/// <param name="CpuTime">CPU time of the process over the window (the farm, the client and the parser: both ends).</param>
/// <param name="Cores">The cores the process shares.</param>
public sealed record ScrapeCalibration(long Scrapes, long Failed, int SamplesPerScrape, TimeSpan Elapsed, TimeSpan CpuTime, int Cores)
{
    /// <summary>How long the calibration scrapes.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(1.5);

    /// <summary>Bare scrapes per wall second this machine served and parsed with every core available to it.</summary>
    public double ScrapesPerSecond => Scrapes / Math.Max(Elapsed.TotalSeconds, 1e-9);

    /// <summary>CPU per bare scrape (both ends).</summary>
    public TimeSpan CpuPerScrape => Scrapes == 0 ? TimeSpan.Zero : CpuTime / Scrapes;

    /// <summary>
    /// Scrapes the calibration's targets and returns what it measured. The farm binds <paramref name="targets"/> loopback
    /// addresses from 127.250.0.1 on free ports and is gone when this returns.
    /// </summary>
    public static async Task<ScrapeCalibration> MeasureAsync(TargetShape shape, TimeSpan? window = null, int targets = 64, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var farm = TargetFarm.Start(new TargetFarmOptions { Count = targets, FirstAddress = IPAddress.Parse("127.250.0.1"), Port = 0, Shape = shape });
        await using (farm.ConfigureAwait(false))
        {
            using var http = new HttpClient(new SocketsHttpHandler
            {
                // As the prometheus receiver's client: no proxy, no redirects, one connection per target.
                UseProxy = false,
                AllowAutoRedirect = false,
                MaxConnectionsPerServer = 1,
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(1),
            });
            var urls = farm.Endpoints.Select(e => new Uri($"http://{e}/metrics")).ToArray();
            // One warm-up round: JIT and the first connections are not the steady cost.
            await Task.WhenAll(urls.Select(u => ScrapeAsync(http, u, cancellationToken))).ConfigureAwait(false);
            if (Interlocked.Exchange(ref s_warmedUp, 1) == 0)
            {
                // The process's first calibration also scrapes for a while unmeasured, so that what it measures runs the
                // optimized code a lab runs: tiered compilation compiles a method's optimized code in the background after
                // its first 30 calls, and a window that started at once measured a mix (the same machine read 8,000 bare
                // scrapes/s at a process's very start and 11,000-14,000 after the AppHost's own start-up).
                await ScrapeUntilAsync(http, urls, Stopwatch.GetTimestamp() + (long)(WarmUp.TotalSeconds * Stopwatch.Frequency), cancellationToken).ConfigureAwait(false);
            }

            using var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var started = Stopwatch.GetTimestamp();
            var until = started + (long)((window ?? DefaultWindow).TotalSeconds * Stopwatch.Frequency);
            var (scrapes, failed, samples) = await ScrapeUntilAsync(http, urls, until, cancellationToken).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);
            process.Refresh();
            return new ScrapeCalibration(scrapes, failed, samples, elapsed, process.TotalProcessorTime - cpuBefore, Environment.ProcessorCount);
        }
    }

    /// <summary>One line for the console: what was measured.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Scrapes:N0} scrapes of {SamplesPerScrape} samples in {Elapsed.TotalSeconds:0.0} s on loopback sockets = {ScrapesPerSecond:N0} bare scrapes/s, {CpuPerScrape.TotalMilliseconds:0.00} ms CPU each ({Cores} cores{(Failed > 0 ? $", {Failed:N0} failed" : "")})");

    /// <summary>How long a process's first calibration scrapes before it measures.</summary>
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(0.5);

    private static int s_warmedUp;

    // As many in flight as the lab's scrape slots allow, one worker per target at most, until the deadline.
    private static async Task<(long Scrapes, long Failed, int Samples)> ScrapeUntilAsync(HttpClient http, Uri[] urls, long until, CancellationToken cancellationToken)
    {
        long scrapes = 0, failed = 0;
        var samples = 0;
        var workers = Enumerable.Range(0, Math.Min(urls.Length, ScrapeSlots.Capacity)).Select(async i =>
        {
            for (var n = i; Stopwatch.GetTimestamp() < until; n += urls.Length)
            {
                var parsed = await ScrapeAsync(http, urls[n % urls.Length], cancellationToken).ConfigureAwait(false);
                if (parsed < 0)
                {
                    Interlocked.Increment(ref failed);
                }
                else
                {
                    Interlocked.Increment(ref scrapes);
                    Volatile.Write(ref samples, parsed);
                }
            }
        });
        await Task.WhenAll(workers).ConfigureAwait(false);
        return (scrapes, failed, samples);
    }

    // Samples parsed, or -1 when the scrape failed.
    private static async Task<int> ScrapeAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            var body = await http.GetStringAsync(url, cancellationToken).ConfigureAwait(false);
            return ExpositionParser.TryParse(body, out var parsed, out _, out _) ? parsed.Count : -1;
        }
        catch (HttpRequestException)
        {
            return -1;
        }
    }
}
