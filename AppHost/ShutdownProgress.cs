using System.Diagnostics;
using System.Globalization;

namespace OtelLab.AppHost;

/// <summary>
/// The step a shutdown is in and how long the finished ones took: when the bound passes after every lab resource has
/// stopped, the message names what held it (the Aspire host's own stop, the lab's disposal) instead of an empty list.
/// A step's parts (the lab's resources) say which of them held it: the slowest finished ones, and those still going.
/// </summary>
internal sealed class ShutdownProgress
{
    /// <summary>How many of a step's finished parts its description names, slowest first.</summary>
    private const int SlowestShown = 3;

    private readonly Lock _gate = new();
    private readonly List<string> _finished = [];
    private readonly Dictionary<string, long> _running = new(StringComparer.Ordinal);
    private readonly List<(string Part, TimeSpan Took, string? Detail)> _done = [];
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

    /// <summary>A part of the current step (a resource) has begun to stop.</summary>
    public void PartBegun(string part)
    {
        lock (_gate)
        {
            if (_current is not null)
            {
                _running.TryAdd(part, Stopwatch.GetTimestamp());
            }
        }
    }

    /// <summary>A part of the current step has stopped; <paramref name="detail"/> says what held it (its slowest pods).</summary>
    public void PartEnded(string part, string? detail = null)
    {
        lock (_gate)
        {
            if (_running.Remove(part, out var since))
            {
                _done.Add((part, Stopwatch.GetElapsedTime(since), string.IsNullOrEmpty(detail) ? null : detail));
            }
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

    /// <summary>
    /// E.g. "stopping the lab's resources took 2.1 s (slowest: node-agents 1.6 s [slowest pods: …], load 0.3 s); still
    /// in: the Aspire host's own stop (DCP, the dashboard) for 6.0 s".
    /// </summary>
    public string Describe()
    {
        lock (_gate)
        {
            var still = _current is null ? "" : string.Create(CultureInfo.InvariantCulture, $"still in: {_current} for {Stopwatch.GetElapsedTime(_since).TotalSeconds:0.0} s{Parts()}");
            return string.Join("; ", _finished.Append(still).Where(s => s.Length > 0));
        }
    }

    private void EndCurrent()
    {
        if (_current is not null)
        {
            _finished.Add(string.Create(CultureInfo.InvariantCulture, $"{_current} took {Stopwatch.GetElapsedTime(_since).TotalSeconds:0.0} s{Parts()}"));
            _current = null;
            _running.Clear();
            _done.Clear();
        }
    }

    private string Parts()
    {
        var said = new List<string>();
        if (_running.Count > 0)
        {
            said.Add("still stopping: " + string.Join(", ", _running.OrderBy(r => r.Value).Select(r =>
                string.Create(CultureInfo.InvariantCulture, $"{r.Key} for {Stopwatch.GetElapsedTime(r.Value).TotalSeconds:0.0} s"))));
        }

        if (_done.Count > 0)
        {
            said.Add("slowest: " + string.Join(", ", _done.OrderByDescending(d => d.Took).Take(SlowestShown).Select(d =>
                string.Create(CultureInfo.InvariantCulture, $"{d.Part} {d.Took.TotalSeconds:0.0} s{(d.Detail is null ? "" : " [" + d.Detail + "]")}"))));
        }

        return said.Count == 0 ? "" : " (" + string.Join("; ", said) + ")";
    }
}
