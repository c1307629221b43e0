using System.Diagnostics;
using OtelLab.Scenarios.Loads;

namespace OtelLab.Tests.Scenarios.Loads;

/// <summary>A real process's CPU and memory as /proc reports them, its children included.</summary>
[Trait("Category", "Unit")]
public sealed class ProcessUsageTests
{
    [Fact]
    public async Task A_busy_child_is_counted_under_its_parent_and_a_gone_process_reads_as_null()
    {
        // Given a shell whose child spins for a while (the way a launcher runs a sample service)
        var start = new ProcessStartInfo("sh", ["-c", "sh -c 'end=$(($(date +%s)+30)); while [ $(date +%s) -lt $end ]; do :; done' & wait"]) { UseShellExecute = false };
        using var parent = Process.Start(start)!;
        try
        {
            // When the child has had some CPU (waiting on the reading itself, not on a fixed sleep)
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            (TimeSpan Cpu, long RssBytes)? usage;
            do
            {
                usage = ProcessUsage.Read(parent.Id);
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
            while (usage is { } u && u.Cpu < TimeSpan.FromMilliseconds(200) && DateTime.UtcNow < deadline);

            // Then the parent's reading holds the child's CPU (the parent itself only waits) and both processes' RSS
            Assert.NotNull(usage);
            Assert.True(usage.Value.Cpu >= TimeSpan.FromMilliseconds(200), $"cpu {usage.Value.Cpu}");
            Assert.InRange(usage.Value.RssBytes, 512 * 1024, 512L * 1024 * 1024);
        }
        finally
        {
            parent.Kill(entireProcessTree: true);
            await parent.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        Assert.Null(ProcessUsage.Read(parent.Id));
    }

    [Fact]
    public void The_lab_process_reads_as_the_runtime_reports_it()
    {
        using var self = Process.GetCurrentProcess();
        var before = self.TotalProcessorTime;
        var threads = self.Threads.Count;
        var usage = ProcessUsage.Read(Environment.ProcessId);

        Assert.NotNull(usage);
        // /proc accounts each thread in 10 ms ticks (the runtime reads exact times): each thread may be up to a tick
        // short; other tests' child processes may add to the reading, never take away
        var tolerance = TimeSpan.FromMilliseconds(10 * (threads + 1));
        Assert.True(usage.Value.Cpu >= before - tolerance, $"{usage.Value.Cpu} < {before} - {tolerance} ({threads} threads)");
        Assert.True(usage.Value.RssBytes > 10 * 1024 * 1024);
    }
}
