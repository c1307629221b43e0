using OtelLab.Sim.Operator.Internal;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Operator.Internal;

/// <summary>The operator's work queue keeps client-go's guarantees and its default rate limiter's figures.</summary>
[Trait("Category", "Unit")]
public sealed class ReconcileQueueTests
{
    private static readonly (string, string) Gateway = ("observability", "otel-gateway");
    private static readonly (string, string) Agent = ("observability", "otel-agent");

    [Fact]
    public async Task A_key_added_twice_is_handed_out_once()
    {
        using var queue = new ReconcileQueue(new ManualTimeProvider());
        var ct = TestContext.Current.CancellationToken;

        queue.Add(Gateway);
        queue.Add(Gateway);
        queue.Add(Agent);

        Assert.Equal(Gateway, await queue.GetAsync(ct));
        Assert.Equal(Agent, await queue.GetAsync(ct));
        queue.Done(Gateway);
        queue.Done(Agent);
        Assert.Equal(0, queue.Pending);
    }

    [Fact]
    public async Task A_key_added_while_it_is_reconciled_comes_back_only_after_done()
    {
        using var queue = new ReconcileQueue(new ManualTimeProvider());
        var ct = TestContext.Current.CancellationToken;
        queue.Add(Gateway);
        var first = await queue.GetAsync(ct);

        // When the key changes again during its reconcile
        queue.Add(Gateway);

        // Then it is not handed out meanwhile (one reconcile per key at a time), and is after Done
        var next = queue.GetAsync(ct);
        await Task.Yield();
        Assert.False(next.IsCompleted);
        queue.Done(first);
        Assert.Equal(Gateway, await next.WaitAsync(TimeSpan.FromSeconds(5), ct));
    }

    [Fact]
    public async Task A_failed_key_returns_after_the_exponential_delay_on_the_lab_clock()
    {
        var clock = new ManualTimeProvider();
        using var queue = new ReconcileQueue(clock);
        var ct = TestContext.Current.CancellationToken;

        // When the key fails twice
        Assert.Equal(TimeSpan.FromMilliseconds(5), queue.AddRateLimited(Gateway));
        clock.Advance(TimeSpan.FromMilliseconds(5));
        queue.Done(await queue.GetAsync(ct));
        var delay = queue.AddRateLimited(Gateway);

        // Then the second wait doubles, and the key is queued only once it has passed
        Assert.Equal(TimeSpan.FromMilliseconds(10), delay);
        var next = queue.GetAsync(ct);
        clock.Advance(TimeSpan.FromMilliseconds(9));
        await Task.Yield();
        Assert.False(next.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(Gateway, await next.WaitAsync(TimeSpan.FromSeconds(5), ct));

        // And a success forgets the failures
        queue.Forget(Gateway);
        Assert.Equal(0, queue.RateLimiter.Requeues(Gateway));
    }

    [Fact]
    public void The_per_key_backoff_is_capped_at_1000_s_and_the_bucket_limits_the_overall_rate()
    {
        var clock = new ManualTimeProvider();
        var limiter = new ControllerRateLimiter(clock);

        // 5 ms · 2^n passes 1000 s at n = 18 (1310.72 s): capped there
        TimeSpan last = default;
        for (var i = 0; i < 19; i++)
        {
            last = limiter.When(Gateway);
        }

        Assert.Equal(ControllerRateLimiter.MaxDelay, last);

        // The overall bucket (a fresh limiter): 100 keys at once (the burst), the 101st waits for a token at 10 per second
        var other = new ControllerRateLimiter(clock);
        var delays = Enumerable.Range(0, 101).Select(i => other.When(("ns", $"c{i}"))).ToList();
        Assert.All(delays.Take(100), d => Assert.Equal(TimeSpan.FromMilliseconds(5), d));
        Assert.Equal(TimeSpan.FromMilliseconds(100), delays[100]);
    }
}
