using System.Globalization;

namespace OtelLab.AppHost;

/// <summary>
/// Ends the process when a shutdown outlives its bound. It waits on its own thread, not the thread pool: an overloaded
/// lab's pool is exactly what is starved (measured: with 12,000 work items queued, a <c>Task.Delay</c> bound of 8 s ended
/// the process only when the runtime itself gave up, 17 s later). What the lab started follows the process (the sample
/// services and DCP watch its pid).
/// </summary>
internal sealed class ShutdownWatchdog : IDisposable
{
    /// <summary>How long <see cref="Environment.Exit"/> may take (its exit handlers) before the process is torn down.</summary>
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(2);

    private readonly ManualResetEventSlim _done = new();

    private ShutdownWatchdog(TimeSpan bound, Func<string> stillStopping, TextWriter stdout, int exitCode)
    {
        var thread = new Thread(() =>
        {
            if (_done.Wait(bound))
            {
                return;
            }

            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Shutdown took longer than {bound.TotalSeconds:0} s; ending the process with these still stopping: ") + Describe(stillStopping));
            stdout.Flush();
            var last = new Thread(() =>
            {
                Thread.Sleep(ExitBound);
                Environment.FailFast($"the lab's shutdown outlived its bound of {bound.TotalSeconds:0} s and the process's exit handlers {ExitBound.TotalSeconds:0} s more");
            })
            { IsBackground = true, Name = "shutdown-watchdog-exit" };
            last.Start();
            Environment.Exit(exitCode);
        })
        { IsBackground = true, Name = "shutdown-watchdog" };
        thread.Start();
    }

    /// <summary>Starts watching: unless disposed within <paramref name="bound"/>, the process ends with <paramref name="exitCode"/>.</summary>
    public static ShutdownWatchdog Start(TimeSpan bound, Func<string> stillStopping, TextWriter stdout, int exitCode) => new(bound, stillStopping, stdout, exitCode);

    /// <summary>The shutdown finished in time.</summary>
    public void Dispose()
    {
        _done.Set();
    }

    private static string Describe(Func<string> stillStopping)
    {
        try
        {
            return stillStopping();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"(unknown: {e.Message})";
        }
    }
}
