using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OtelLab.Load.Internal;
using OtelLab.Load.Traces.Internal;
using OtelLab.Model.Time;

namespace OtelLab.Load.Requests;

/// <summary>
/// Drives HTTP requests into a service (the sample services' <c>checkout</c>) at a rate, open model: each request
/// starts on schedule without waiting for earlier ones. Errors and latency come from the service itself, through
/// its <c>ERROR_RATIO</c> / <c>ADDED_LATENCY_MS</c> settings (<see cref="SampleServiceKnobs"/>). Never throws on the
/// request path: failures are counted by reason.
/// </summary>
public sealed class HttpLoadDriver
{
    private readonly HttpLoadOptions _options;

    public HttpLoadDriver(HttpLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RequestsPerSecond <= 0)
        {
            throw new ArgumentException("RequestsPerSecond must be > 0", nameof(options));
        }

        if (options.SourceAddress is { } s && !IPAddress.IsLoopback(s))
        {
            throw new ArgumentException($"source address {s} is not loopback (the lab only uses 127.0.0.0/8)", nameof(options));
        }

        _options = options;
    }

    /// <summary>Sends exactly <paramref name="requests"/> requests at the configured rate and waits for every answer.</summary>
    public async Task<HttpLoadReport> RunAsync(int requests, CancellationToken cancellationToken)
    {
        using var handler = SourceAddressHandler.Create(_options.SourceAddress);
        using var http = new HttpClient(handler) { Timeout = _options.RequestTimeout };
        var byStatus = new ConcurrentDictionary<int, long>();
        var failures = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var latency = new LatencyRecorder();
        var time = _options.TimeProvider;
        var start = time.GetTimestamp();
        var inFlight = new List<Task>(requests);
        for (var i = 0; i < requests && !cancellationToken.IsCancellationRequested; i++)
        {
            var wait = TimeSpan.FromSeconds(i / _options.RequestsPerSecond) - time.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    // Rounded up: the timer counts whole milliseconds, so a request would otherwise go up to one early.
                    await Task.Delay(TimerResolution.RoundUp(wait), time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            inFlight.Add(SendAsync(http, byStatus, failures, latency, cancellationToken));
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
        return new HttpLoadReport
        {
            Requests = inFlight.Count,
            ByStatus = new Dictionary<int, long>(byStatus),
            Failures = new Dictionary<string, long>(failures, StringComparer.Ordinal),
            Latency = latency.Summary(),
            Elapsed = time.GetElapsedTime(start),
        };
    }

    private async Task SendAsync(HttpClient http, ConcurrentDictionary<int, long> byStatus, ConcurrentDictionary<string, long> failures, LatencyRecorder latency, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var content = new StringContent(_options.Body, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(_options.Url, content, cancellationToken).ConfigureAwait(false);
            latency.Record(Stopwatch.GetElapsedTime(started));
            byStatus.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var reason = e switch
            {
                HttpRequestException { InnerException: SocketException se } => $"connect {se.SocketErrorCode}",
                HttpRequestException h => $"http {h.HttpRequestError}",
                OperationCanceledException => "timeout",
                _ => e.GetType().Name,
            };
            failures.AddOrUpdate(reason, 1, (_, n) => n + 1);
        }
    }
}
