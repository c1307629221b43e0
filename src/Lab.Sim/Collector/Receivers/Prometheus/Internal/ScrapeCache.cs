namespace OtelLab.Sim.Collector.Receivers.Prometheus.Internal;

/// <summary>
/// A scrape loop's parsed series, keyed by the text that names them on a line. upstream: prometheus scrape/scrape.go
/// <c>scrapeCache.series</c>, keyed by the metric string the parser returns: a target exposes the same series scrape
/// after scrape, so a hit reuses the name and labels parsed before instead of parsing and allocating them again. At a
/// scrape's end (<c>iterDone</c>) a successful scrape drops the entries it did not see; after a failed one they are
/// dropped only once the cache has grown past twice its size at the last success plus 1,000.
/// </summary>
internal sealed class ScrapeCache
{
    private readonly Dictionary<string, Entry> _series = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _byText;
    private ulong _iter;
    private int _successfulCount;

    public ScrapeCache()
    {
        _byText = _series.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Series held now.</summary>
    public int Count => _series.Count;

    /// <summary>The name and labels parsed from <paramref name="series"/> before, marked as seen by this scrape.</summary>
    public bool TryGet(ReadOnlySpan<char> series, out string name, out IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        if (_byText.TryGetValue(series, out var entry))
        {
            entry.LastIter = _iter;
            (name, labels) = (entry.Name, entry.Labels);
            return true;
        }

        (name, labels) = (string.Empty, []);
        return false;
    }

    /// <summary>Keeps what <paramref name="series"/> parsed to, seen by this scrape.</summary>
    public void Add(ReadOnlySpan<char> series, string name, IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        if (_byText.TryGetValue(series, out var entry))
        {
            entry.LastIter = _iter;
            return;
        }

        _byText[series] = new Entry(name, labels) { LastIter = _iter };
    }

    /// <summary>Ends a scrape: <paramref name="succeeded"/> is upstream's flushCache.</summary>
    public void IterDone(bool succeeded)
    {
        var count = _series.Count;
        if (succeeded)
        {
            _successfulCount = count;
        }

        if (succeeded || count > (_successfulCount * 2) + 1000)
        {
            foreach (var (text, entry) in _series)
            {
                if (entry.LastIter != _iter)
                {
                    _series.Remove(text);
                }
            }
        }

        _iter++;
    }

    private sealed class Entry(string name, IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        public string Name { get; } = name;

        public IReadOnlyList<KeyValuePair<string, string>> Labels { get; } = labels;

        public ulong LastIter { get; set; }
    }
}
