namespace OtelLab.Backends.Capture.Internal;

/// <summary>
/// A fixed-capacity ring: appending past capacity overwrites the oldest items and counts them as evicted.
/// One lock per append batch (a request), so the hot path takes it once per request, not per item.
/// </summary>
internal sealed class BoundedRing<T>
    where T : class
{
    private readonly T[] _items;
    private readonly Lock _gate = new();
    private int _next;
    private int _count;
    private long _evicted;
    private long _total;

    public BoundedRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _items = new T[capacity];
    }

    public int Capacity => _items.Length;

    public long Evicted => Interlocked.Read(ref _evicted);

    public long Total => Interlocked.Read(ref _total);

    public void AddRange(ReadOnlySpan<T> batch)
    {
        lock (_gate)
        {
            foreach (var item in batch)
            {
                if (_count == _items.Length)
                {
                    _evicted++;
                }
                else
                {
                    _count++;
                }

                _items[_next] = item;
                _next = _next + 1 == _items.Length ? 0 : _next + 1;
            }

            _total += batch.Length;
        }
    }

    /// <summary>Items oldest first, filtered; a copy, safe to use while ingest goes on.</summary>
    public List<T> Snapshot(Func<T, bool>? filter = null)
    {
        lock (_gate)
        {
            var result = new List<T>(filter is null ? _count : 16);
            var start = _count == _items.Length ? _next : 0;
            for (var i = 0; i < _count; i++)
            {
                var item = _items[(start + i) % _items.Length];
                if (filter is null || filter(item))
                {
                    result.Add(item);
                }
            }

            return result;
        }
    }

    /// <summary>
    /// Items appended after the first <paramref name="after"/> ever appended (those still held), oldest first, and
    /// the new total to pass next time: a reader follows the ring without copying what it has seen.
    /// </summary>
    public (List<T> Items, long Total) Since(long after)
    {
        lock (_gate)
        {
            var fresh = (int)Math.Min(_count, Math.Max(0, _total - after));
            var result = new List<T>(fresh);
            var start = (_next - fresh + _items.Length) % _items.Length;
            for (var i = 0; i < fresh; i++)
            {
                result.Add(_items[(start + i) % _items.Length]);
            }

            return (result, _total);
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }
}
