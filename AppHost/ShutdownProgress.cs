using System.Diagnostics;
using System.Globalization;

namespace OtelLab.AppHost;

/// <summary>
/// The step a shutdown is in and how long the finished ones took: when the bound passes after every lab resource has
/// stopped, the message names what held it (the Aspire host's own stop, the lab's disposal) instead of an empty list.
/// </summary>
internal sealed class ShutdownProgress
{
    private readonly Lock _gate = new();
    private readonly List<string> _finished = [];
    private string? _current;
    private long _since;

    /// <summary>Ends the current step (if any) and starts <paramref name="step"/>.</summary>
    public void Begin(string step)
    {
        lock (_gate)
        {
            EndCurrent();
            _current = step;
            _since = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Ends the current step (if any) and adds a remark after it, e.g. that it was cut short.</summary>
    public void Note(string remark)
    {
        lock (_gate)
        {
            EndCurrent();
            _finished.Add(remark);
        }
    }

    public void End()
    {
        lock (_gate)
        {
            EndCurrent();
        }
    }

    /// <summary>E.g. "stopping the lab's resources took 2.1 s; still in: the Aspire host's own stop (DCP, the dashboard) for 6.0 s".</summary>
    public string Describe()
    {
        lock (_gate)
        {
            var still = _current is null ? "" : string.Create(CultureInfo.InvariantCulture, $"still in: {_current} for {Stopwatch.GetElapsedTime(_since).TotalSeconds:0.0} s");
            return string.Join("; ", _finished.Append(still).Where(s => s.Length > 0));
        }
    }

    private void EndCurrent()
    {
        if (_current is not null)
        {
            _finished.Add(string.Create(CultureInfo.InvariantCulture, $"{_current} took {Stopwatch.GetElapsedTime(_since).TotalSeconds:0.0} s"));
            _current = null;
        }
    }
}
