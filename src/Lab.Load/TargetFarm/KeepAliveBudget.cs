namespace OtelLab.Load.TargetFarm;

/// <summary>
/// How many scrape connections the farm's targets keep open between scrapes. A Prometheus scraper keeps one
/// connection per target alive (prometheus/common config/http_config.go defaultHTTPClientOptions: keep-alives on,
/// <c>IdleConnTimeout</c> 5 minutes), which spares every scrape a TCP handshake and teardown. Here both ends of each
/// connection are in the lab's one process, beside one listener per target, so a kept connection costs two
/// descriptors of the open-file limit: targets keep connections alive while that fits, with headroom, and answer
/// <c>Connection: close</c> beyond it (a server may; the scraper then dials afresh for the next scrape).
/// </summary>
public sealed class KeepAliveBudget
{
    private readonly long _limit;
    private readonly int _headroom;
    private readonly Func<int> _listeners;
    private int _kept;

    /// <param name="openFileLimit">The process's open-file limit.</param>
    /// <param name="headroom">Descriptors left for everything else (scrapes that dial afresh, the collectors' and backends' own connections).</param>
    /// <param name="listeners">The farm's listening sockets right now.</param>
    public KeepAliveBudget(long openFileLimit, int headroom, Func<int> listeners)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(headroom);
        ArgumentNullException.ThrowIfNull(listeners);
        _limit = openFileLimit;
        _headroom = headroom;
        _listeners = listeners;
    }

    /// <summary>Connections kept alive now.</summary>
    public int Kept => Volatile.Read(ref _kept);

    /// <summary>Takes one connection's place if the limit allows it; <see cref="Release"/> gives it back when the connection ends.</summary>
    public bool TryTake()
    {
        var kept = Interlocked.Increment(ref _kept);
        if (_listeners() + (2L * kept) + _headroom <= _limit)
        {
            return true;
        }

        Interlocked.Decrement(ref _kept);
        return false;
    }

    public void Release() => Interlocked.Decrement(ref _kept);
}
