using System.Globalization;
using OtelLab.Scenarios.Resources;

namespace OtelLab.AppHost;

/// <summary>
/// What `up` is still waiting on while the lab starts: Aspire's own start (DCP, the dashboard, the host's services),
/// then the lab's resources that are not Running yet. A start that takes longer than <see cref="Every"/> says which, so
/// a lab that never reports ready names what held it instead of leaving a list of Running resources and silence.
/// </summary>
internal static class StartupNotice
{
    /// <summary>How often a slow start says what it waits on.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(20);

    /// <summary>Awaits <paramref name="step"/>, writing <see cref="Describe"/> of <paramref name="pending"/> every <see cref="Every"/> until it completes.</summary>
    public static async Task AwaitAsync(Task step, long startedAt, Func<string> pending, TextWriter stdout, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(stdout);
        // Real time: the start is the host's and the machine's, before the lab's clock means anything.
        time ??= TimeProvider.System;
        using var tick = new PeriodicTimer(Every, time);
        while (!step.IsCompleted)
        {
            var next = tick.WaitForNextTickAsync(cancellationToken).AsTask();
            if (await Task.WhenAny(step, next).ConfigureAwait(false) == step)
            {
                break;
            }

            if (next.IsCanceled)
            {
                break;
            }

            await stdout.WriteLineAsync(Describe(time.GetElapsedTime(startedAt), pending())).ConfigureAwait(false);
        }

        await step.ConfigureAwait(false);
    }

    /// <summary>The notice line: how long the start has run and what it waits on.</summary>
    public static string Describe(TimeSpan elapsed, string pending) =>
        string.Create(CultureInfo.InvariantCulture, $"Still starting after {elapsed.TotalSeconds:0} s: waiting on {pending}.");

    /// <summary>What the start waits on: Aspire's start until it returned, then the resources not Running yet (with their state).</summary>
    public static string Pending(bool hostStarted, IEnumerable<ResourceSnapshot> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var waiting = resources.Where(r => r.State != ResourceState.Running)
            .Select(r => $"{r.Name} ({r.State}{(r.Reason is null ? "" : ": " + r.Reason)})")
            .ToList();
        var lab = waiting.Count == 0 ? "every lab resource is Running" : "lab resources " + string.Join(", ", waiting);
        return hostStarted
            ? lab
            : $"the Aspire host's start (DCP, the dashboard, the host's services) to return; {lab}";
    }
}
