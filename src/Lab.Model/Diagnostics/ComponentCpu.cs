using OtelLab.Model.Diagnostics.Internal;

namespace OtelLab.Model.Diagnostics;

/// <summary>
/// The CPU time one in-process component (a collector pod, the Target Allocator, a mock backend, the load generator)
/// has used: every thread's CPU time while the async flow it runs carries this component. A component is entered once,
/// where it starts (<see cref="Enter"/>); everything started from there — its listeners' requests (re-entered per
/// request by its web host), its timers on the lab clock, its queue workers — carries it through the
/// <see cref="ExecutionContext"/>. Each time a thread switches flows the thread's CPU clock is read and the time since
/// the last switch is charged to the component the thread was running. Time spent waiting costs nothing; work a
/// component hands to a thread that does not flow the execution context (a socket's own I/O completion) is not
/// charged to anyone.
/// </summary>
public sealed class ComponentCpu
{
    private static readonly AsyncLocal<ComponentCpu?> Flow = new(OnFlowChanged);

    // Without metering the component still flows (Current), but through a local without change notifications: a
    // notifying AsyncLocal makes every execution-context switch of the flows it is in call back, which the scrape path
    // would pay on every await.
    private static readonly AsyncLocal<ComponentCpu?> Unmetered = new();

    [ThreadStatic]
    private static long t_since;

    private long _nanos;

    public ComponentCpu(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>
    /// Whether the threads' clocks are read at all (off until a load run asks: each read is a system call). Decided for a
    /// component when it is entered: turn it on before the lab starts.
    /// </summary>
    public static bool Metering { get; set; }

    /// <summary>The component the calling flow runs for, or null.</summary>
    public static ComponentCpu? Current => Flow.Value ?? Unmetered.Value;

    public string Name { get; }

    /// <summary>CPU time charged so far (only while <see cref="Metering"/> was on).</summary>
    public TimeSpan Used => TimeSpan.FromTicks(Interlocked.Read(ref _nanos) / 100);

    /// <summary>
    /// Makes the calling flow run for <paramref name="component"/>: call it at the top of an async method (its
    /// caller's flow is restored when the method returns).
    /// </summary>
    public static void Enter(ComponentCpu? component)
    {
        if (Metering)
        {
            Flow.Value = component;
        }
        else
        {
            Unmetered.Value = component;
        }
    }

    /// <summary>Runs <paramref name="work"/> for <paramref name="component"/> (e.g. one request of its web host).</summary>
    public static async Task RunAsync(ComponentCpu component, Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Enter(component);
        await work().ConfigureAwait(false);
    }

    private static void OnFlowChanged(AsyncLocalValueChangedArgs<ComponentCpu?> change)
    {
        if (!Metering)
        {
            t_since = 0;
            return;
        }

        var now = ThreadCpuClock.NowNanos();
        if (now < 0)
        {
            return;
        }

        if (change.PreviousValue is { } previous && t_since > 0 && now > t_since)
        {
            Interlocked.Add(ref previous._nanos, now - t_since);
        }

        t_since = change.CurrentValue is null ? 0 : now;
    }
}
