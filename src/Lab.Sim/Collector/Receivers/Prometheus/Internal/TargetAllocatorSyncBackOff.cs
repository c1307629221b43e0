using System.Net.Sockets;
using OtelLab.Sim.Collector.Internal;

namespace OtelLab.Sim.Collector.Receivers.Prometheus.Internal;

/// <summary>
/// How long the receiver waits before it retries its first <c>/scrape_configs</c> sync. upstream: contrib
/// receiver/prometheusreceiver/targetallocator/manager.go Start retries that sync until it succeeds with
/// <c>backoff.Retry(…, backoff.NewExponentialBackOff())</c> (cenkalti/backoff v5 defaults: 500 ms, ×1.5, ±50 %, at most
/// 60 s), and a refused connection after exactly 1 s (<c>backoff.RetryAfter(1)</c>, which leaves the exponential
/// interval where it was); the <c>interval</c> ticker starts only after the first success. So a collector that starts
/// before its Target Allocator learns its jobs about a second after the allocator is reachable, not an interval later.
/// One difference: upstream's Start blocks until that first success (the collector reports Ready only then); the lab's
/// receiver retries in the background, so its pod can be Ready before its allocator answers.
/// </summary>
internal sealed class TargetAllocatorSyncBackOff
{
    public static readonly TimeSpan ConnectionRefusedRetry = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan InitialInterval = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(60);
    public const double Multiplier = 1.5;
    public const double RandomizationFactor = 0.5;

    private readonly ExponentialBackOff _backOff;

    /// <param name="random">A value in [0, 1) per retry (cenkalti/backoff's rand.Float64).</param>
    public TargetAllocatorSyncBackOff(Func<double>? random = null)
    {
        _backOff = new ExponentialBackOff(InitialInterval, RandomizationFactor, Multiplier, MaxInterval, random);
    }

    /// <summary>The wait before the next attempt after <paramref name="failure"/>.</summary>
    public TimeSpan Next(Exception failure) => IsConnectionRefused(failure) ? ConnectionRefusedRetry : _backOff.Next();

    private static bool IsConnectionRefused(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                return true;
            }
        }

        return false;
    }
}
