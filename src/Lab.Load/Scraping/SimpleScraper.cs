using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OtelLab.Load.Scraping;

/// <summary>
/// A minimal Prometheus scraper for load measurements: one HTTP/1.1 GET per target over a fresh loopback connection
/// (<c>Connection: close</c>), counting samples (non-comment lines). It is not the collector's prometheus receiver;
/// it measures what the farm and the machine can serve.
/// </summary>
public sealed class SimpleScraper(string metricsPath = "/metrics")
{
    private readonly byte[] _requestTemplate = Encoding.ASCII.GetBytes($"GET {metricsPath} HTTP/1.1\r\nAccept: text/plain;version=0.0.4\r\nConnection: close\r\nHost: ");

    /// <summary>Scrapes one target; failures are returned, never thrown.</summary>
    public async Task<ScrapeResult> ScrapeAsync(IPEndPoint target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!IPAddress.IsLoopback(target.Address))
        {
            return new ScrapeResult(target, false, 0, 0, 0, TimeSpan.Zero, "only loopback targets are scraped");
        }

        var started = Stopwatch.GetTimestamp();
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
            var request = new byte[_requestTemplate.Length + 64];
            _requestTemplate.CopyTo(request, 0);
            var host = Encoding.ASCII.GetBytes(target + "\r\n\r\n");
            host.CopyTo(request, _requestTemplate.Length);
            await socket.SendAsync(request.AsMemory(0, _requestTemplate.Length + host.Length), SocketFlags.None, cancellationToken).ConfigureAwait(false);

            long total = 0;
            var status = 0;
            var samples = 0;
            var inBody = false;
            var lineStart = true;
            var headerTail = 0u;
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (total == 0 && read >= 12)
                {
                    status = int.Parse(Encoding.ASCII.GetString(buffer, 9, 3), CultureInfo.InvariantCulture);
                }

                for (var i = 0; i < read; i++)
                {
                    var b = buffer[i];
                    if (!inBody)
                    {
                        headerTail = (headerTail << 8) | b;
                        inBody = headerTail == 0x0D0A0D0A;
                        continue;
                    }

                    if (lineStart && b != (byte)'#' && b != (byte)'\n')
                    {
                        samples++;
                    }

                    lineStart = b == (byte)'\n';
                }

                total += read;
            }

            return new ScrapeResult(target, status == 200, status, samples, total, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is SocketException or IOException or FormatException)
        {
            return new ScrapeResult(target, false, 0, 0, 0, Stopwatch.GetElapsedTime(started), ex.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Scrapes every target once with at most <paramref name="concurrency"/> scrapes in flight.</summary>
    public async Task<ScrapeSummary> ScrapeAllAsync(IReadOnlyList<IPEndPoint> targets, int concurrency, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var started = Stopwatch.GetTimestamp();
        var next = -1;
        long samples = 0, bytes = 0;
        var ok = 0;
        var workers = Enumerable.Range(0, Math.Clamp(concurrency, 1, Math.Max(1, targets.Count))).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < targets.Count)
            {
                var result = await ScrapeAsync(targets[index], cancellationToken).ConfigureAwait(false);
                if (result.Ok)
                {
                    Interlocked.Increment(ref ok);
                }

                Interlocked.Add(ref samples, result.Samples);
                Interlocked.Add(ref bytes, result.Bytes);
            }
        });
        await Task.WhenAll(workers).ConfigureAwait(false);
        return new ScrapeSummary(targets.Count, ok, samples, bytes, Stopwatch.GetElapsedTime(started));
    }
}
