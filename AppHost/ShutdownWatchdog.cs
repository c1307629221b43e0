using System.Globalization;

namespace OtelLab.AppHost;

/// <summary>
/// Ends the process when a shutdown outlives its bound. Its threads are created when the lab starts and wait until
/// <see cref="Arm"/>: not the thread pool, which is exactly what an overloaded lab starves (measured: with 12,000 work
/// items queued, a <c>Task.Delay</c> bound of 8 s ended nothing for 17 s), and not a thread created at shutdown, which
/// an overloaded process may no longer be able to create (measured: <c>Thread.Start</c> threw OutOfMemoryException).
/// What the lab started follows the process (the sample services and DCP watch its pid).
/// </summary>
internal sealed class ShutdownWatchdog : IDisposable
{
    /// <summary>How long <see cref="Environment.Exit"/> may take (its exit handlers) before the process is torn down.</summary>
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(2);

    private readonly ManualResetEventSlim _armed = new();
    private readonly ManualResetEventSlim _done = new();
    private readonly ManualResetEventSlim _exiting = new();
    private readonly TextWriter _stdout;
    private readonly int _exitCode;
    private readonly Lock _gate = new();
    private TimeSpan _bound;
    private long _deadline = long.MaxValue;
    private Func<string> _stillStopping = () => "";

    public ShutdownWatchdog(TextWriter stdout, int exitCode)
    {
        _stdout = stdout;
        _exitCode = exitCode;
        new Thread(Watch) { IsBackground = true, Name = "shutdown-watchdog" }.Start();
        new Thread(TearDown) { IsBackground = true, Name = "shutdown-watchdog-exit" }.Start();
    }

    /// <summary>
    /// The shutdown begins now, or is due to begin in <paramref name="startsIn"/> (the end of <c>--duration</c>, which a
    /// starved thread pool may notice late): unless <see cref="Dispose"/> comes within <paramref name="bound"/> after
    /// that, the process ends. An earlier deadline already armed stays.
    /// </summary>
    public void Arm(TimeSpan bound, Func<string> stillStopping, TimeSpan startsIn = default)
    {
        lock (_gate)
        {
            var deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (long)((startsIn + bound).TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
            if (deadline < _deadline)
            {
                _deadline = deadline;
                _bound = bound;
                _stillStopping = stillStopping;
            }
        }

        _armed.Set();
    }

    /// <summary>The shutdown finished in time (or the lab never started one).</summary>
    public void Dispose() => _done.Set();

    private void Watch()
    {
        if (WaitHandle.WaitAny([_armed.WaitHandle, _done.WaitHandle]) == 1)
        {
            return;
        }

        // The deadline only moves earlier; wait until it passes or the shutdown is done.
        while (true)
        {
            long deadline;
            lock (_gate)
            {
                deadline = _deadline;
            }

            var left = TimeSpan.FromSeconds((deadline - System.Diagnostics.Stopwatch.GetTimestamp()) / (double)System.Diagnostics.Stopwatch.Frequency);
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            if (_done.Wait(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1)))
            {
                return;
            }
        }

        string still;
        try
        {
            still = _stillStopping();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            still = $"(unknown: {e.Message})";
        }

        _stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Shutdown took longer than {_bound.TotalSeconds:0} s; ending the process with these still stopping: {still}"));
        _stdout.Flush();
        _exiting.Set();
        Environment.Exit(_exitCode);
    }

    private void TearDown()
    {
        if (WaitHandle.WaitAny([_exiting.WaitHandle, _done.WaitHandle]) == 1 || !_exiting.IsSet)
        {
            return;
        }

        Thread.Sleep(ExitBound);
        Environment.FailFast($"the lab's shutdown outlived its bound of {_bound.TotalSeconds:0} s and the process's exit handlers {ExitBound.TotalSeconds:0} s more");
    }
}
