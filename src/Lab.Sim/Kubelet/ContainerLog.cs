namespace OtelLab.Sim.Kubelet;

/// <summary>
/// A container's log (stdout and stderr as lines) in a bounded ring buffer kept across restarts, like
/// <c>kubectl logs</c> over the current and previous instances. Thread-safe; the oldest lines are dropped first.
/// </summary>
public sealed class ContainerLog(TimeProvider time, int capacity = 2000)
{
    private readonly Lock _gate = new();
    private readonly int _capacity = Math.Max(1, capacity);

    // Grows by doubling up to the capacity: a lab holds a log per pod (9,000 target pods at scale) and most write a few
    // lines, so a full ring per container up front would hold hundreds of megabytes of empty slots.
    private (DateTimeOffset At, string Line)[] _buffer = new (DateTimeOffset, string)[Math.Min(16, Math.Max(1, capacity))];
    private long _written;
    private long _currentStart;
    private long _previousStart = -1;
    private int _instances;

    public int Capacity => _capacity;

    /// <summary>Lines written in total, including those no longer held.</summary>
    public long Written => Interlocked.Read(ref _written);

    public long Dropped => Math.Max(0, Written - _capacity);

    /// <summary>Raised after each line is held (on the writer's thread): hosts that show logs live follow it.</summary>
    public event Action<string>? LineWritten;

    public void Write(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        lock (_gate)
        {
            if (_written == _buffer.Length && _buffer.Length < _capacity)
            {
                // Not wrapped yet: sequence i sits at index i, so a larger copy keeps every index.
                Array.Resize(ref _buffer, Math.Min(_capacity, _buffer.Length * 2));
            }

            _buffer[_written % _buffer.Length] = (time.GetUtcNow(), line);
            _written++;
        }

        LineWritten?.Invoke(line);
    }

    /// <summary>The held lines, oldest first.</summary>
    public IReadOnlyList<string> Lines() => Entries().Select(e => e.Line).ToList();

    public IReadOnlyList<(DateTimeOffset At, string Line)> Entries()
    {
        lock (_gate)
        {
            var count = (int)Math.Min(_written, _buffer.Length);
            var start = _written - count;
            var result = new List<(DateTimeOffset, string)>(count);
            for (var i = start; i < _written; i++)
            {
                result.Add(_buffer[i % _buffer.Length]);
            }

            return result;
        }
    }

    /// <summary>
    /// Marks where a new instance of the container starts (its first start or a restart), so the log can be read
    /// per instance like <c>kubectl logs</c> and <c>kubectl logs --previous</c> do.
    /// </summary>
    public void BeginInstance()
    {
        lock (_gate)
        {
            if (_instances > 0)
            {
                _previousStart = _currentStart;
            }

            _currentStart = _written;
            _instances++;
        }
    }

    /// <summary>
    /// The held lines with their sequence numbers from <paramref name="from"/> on (of the current instance, or of the
    /// previous one), and the sequence number to read from next; null when there is no previous instance.
    /// </summary>
    public LogSlice? Read(long from, bool previous = false)
    {
        lock (_gate)
        {
            var (start, end) = previous ? (_previousStart, _currentStart) : (_currentStart, _written);
            if (start < 0 || (previous && _instances < 2))
            {
                return null;
            }

            var first = Math.Max(Math.Max(start, from), _written - _buffer.Length);
            var lines = new List<(DateTimeOffset At, string Line)>((int)Math.Max(0, end - first));
            for (var i = first; i < end; i++)
            {
                lines.Add(_buffer[i % _buffer.Length]);
            }

            return new LogSlice(lines, end);
        }
    }

    public IReadOnlyList<string> Tail(int lines)
    {
        var all = Lines();
        return all.Skip(Math.Max(0, all.Count - lines)).ToList();
    }
}

/// <summary>Lines read from a <see cref="ContainerLog"/> and the sequence number after the last of them.</summary>
public sealed record LogSlice(IReadOnlyList<(DateTimeOffset At, string Line)> Lines, long Next);
