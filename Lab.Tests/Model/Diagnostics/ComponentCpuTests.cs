using System.Security.Cryptography;
using OtelLab.Model.Diagnostics;

namespace OtelLab.Tests.Model.Diagnostics;

/// <summary>Each in-process component is charged the thread CPU time of the work that runs for it, across threads and awaits.</summary>
[Trait("Category", "Unit")]
public sealed class ComponentCpuTests
{
    [Fact]
    public async Task Work_that_flows_from_a_component_is_charged_to_it_and_twice_the_work_costs_about_twice_the_cpu()
    {
        // Given two components, one doing a fixed amount of hashing once and the other twice, each across a thread hop
        ComponentCpu.Metering = true;
        var once = new ComponentCpu("once");
        var twice = new ComponentCpu("twice");
        var idle = new ComponentCpu("idle");

        // When each runs its work in its own flow (Task.Run and awaits carry the flow, as a collector's workers do)
        await ComponentCpu.RunAsync(once, () => HashAsync(rounds: 1));
        await ComponentCpu.RunAsync(twice, () => HashAsync(rounds: 2));
        await ComponentCpu.RunAsync(idle, () => Task.Delay(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken));

        // Then CPU time (not wall time: preemption by the other builds on this machine does not count) follows the work.
        // The same code on the same data costs the same CPU per round up to cache and frequency noise, so the ratio is 2
        // within a generous factor; the idle component, which only waited, is charged (almost) nothing.
        Assert.True(once.Used > TimeSpan.FromMilliseconds(20), $"once: {once.Used.TotalMilliseconds:0.0} ms");
        var ratio = twice.Used / once.Used;
        Assert.InRange(ratio, 1.4, 2.8);
        Assert.True(idle.Used < once.Used / 10, $"idle: {idle.Used.TotalMilliseconds:0.0} ms, once: {once.Used.TotalMilliseconds:0.0} ms");
        Assert.Null(ComponentCpu.Current); // the caller's flow is its own again
    }

    private static async Task HashAsync(int rounds)
    {
        var data = new byte[64 * 1024];
        for (var r = 0; r < rounds; r++)
        {
            // half of each round on a pool thread, half after an await: both are charged
            await Task.Run(() => Hash(data), TestContext.Current.CancellationToken);
            await Task.Yield();
            Hash(data);
        }
    }

    private static void Hash(byte[] data)
    {
        for (var i = 0; i < 1500; i++)
        {
            _ = SHA256.HashData(data);
        }
    }
}
