namespace OtelLab.Scenarios.Loads;

/// <summary>
/// One component's CPU and memory at one instant. <see cref="Process"/> components are real processes (the sample
/// services): CPU and resident memory from /proc. The others run inside the lab process: CPU is the thread CPU time of
/// the component's own work (<see cref="Model.Diagnostics.ComponentCpu"/>), and memory is not bytes but what the
/// component holds: batches in its sending queues and traces in tail_sampling's store (the lab's objects are not the
/// collector's pdata, so their size in the lab's heap would not say what a real collector holds).
/// </summary>
public sealed record ComponentReading(string Component, string Kind, TimeSpan Cpu, long? RssBytes = null, long QueuedBatches = 0, long TracesHeld = 0)
{
    public const string Process = "process";
    public const string Collector = "collector";
    public const string InProcess = "in-process";
}

/// <summary>One component over a window: cores kept busy (CPU time per wall second), and its memory at the window's end.</summary>
public sealed record ComponentWindow(string Component, string Kind, double Cores, long? RssBytes, long QueuedBatches, long TracesHeld)
{
    /// <summary>What each figure is, for the reports.</summary>
    public const string Meaning =
        "cores = CPU time per wall second over the window. process (sample services): utime+stime of the process and its children from /proc, memory = their VmRSS. "
        + "collector/in-process (collector pods, Target Allocator, API server, mock backends, load generator — all inside the lab process): the thread CPU time (CLOCK_THREAD_CPUTIME_ID) "
        + "of the work that runs for the component (its requests, timers and queue workers); held = batches in its sending queues and traces in tail_sampling's store at the window's end, not bytes.";

    public string Memory => Kind == ComponentReading.Process
        ? $"RSS {(RssBytes ?? 0) / (1024.0 * 1024):0} MiB"
        : Kind == ComponentReading.Collector ? $"held {QueuedBatches} queued batches, {TracesHeld} traces" : "-";
}
