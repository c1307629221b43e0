using OtelLab.AppHost;
using OtelLab.Scenarios.Resources;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.AppHost;

/// <summary>A slow start says what `up` still waits on: Aspire's own start, then the resources not Running yet.</summary>
[Trait("Category", "Unit")]
public sealed class StartupNoticeTests
{
    private static ResourceSnapshot Resource(string name, ResourceState state, string? reason = null) => new(name, "component", state, reason, [], null);

    [Fact]
    public void Before_the_host_started_it_names_the_hosts_start_and_the_resources_not_running()
    {
        var pending = StartupNotice.Pending(hostStarted: false, [Resource("cluster", ResourceState.Running), Resource("otel-gateway", ResourceState.Starting), Resource("load", ResourceState.Waiting, "waiting for otel-gateway")]);

        Assert.Equal("the Aspire host's start (DCP, the dashboard, the host's services) to return; lab resources otel-gateway (Starting), load (Waiting: waiting for otel-gateway)", pending);
    }

    [Fact]
    public void After_the_host_started_it_names_only_the_resources_and_says_when_all_run()
    {
        Assert.Equal("lab resources otel-gateway (Starting)", StartupNotice.Pending(hostStarted: true, [Resource("cluster", ResourceState.Running), Resource("otel-gateway", ResourceState.Starting)]));
        Assert.Equal("the Aspire host's start (DCP, the dashboard, the host's services) to return; every lab resource is Running",
            StartupNotice.Pending(hostStarted: false, [Resource("cluster", ResourceState.Running)]));
    }

    [Fact]
    public async Task A_step_that_outlasts_the_period_is_named_once_per_period_and_a_quick_one_never()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new ManualTimeProvider();
        var started = time.GetTimestamp();
        var step = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new StringWriter();
        var waiting = StartupNotice.AwaitAsync(step.Task, started, () => "the thing", TextWriter.Synchronized(output), ct, time);

        for (var period = 1; period <= 2; period++)
        {
            Assert.True(await Eventually.WaitAsync(() => Task.FromResult(time.PendingTimers > 0), TimeSpan.FromSeconds(10), ct), "the notice's timer was never armed");
            time.Advance(StartupNotice.Every);
            var expected = period;
            Assert.True(await Eventually.WaitAsync(() => Task.FromResult(Lines(output).Length == expected), TimeSpan.FromSeconds(10), ct), output.ToString());
        }

        step.SetResult();
        await waiting;
        Assert.Equal(["Still starting after 20 s: waiting on the thing.", "Still starting after 40 s: waiting on the thing."], Lines(output));

        var quiet = new StringWriter();
        await StartupNotice.AwaitAsync(Task.CompletedTask, time.GetTimestamp(), () => "nothing", quiet, ct, time);
        Assert.Equal("", quiet.ToString());
    }

    private static string[] Lines(StringWriter output) => output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
}
