using OtelLab.Backends;
using OtelLab.Backends.Capture.Internal;
using OtelLab.Backends.Datadog;
using OtelLab.Backends.Dynatrace;
using OtelLab.Model.Manifests;
using OtelLab.Model.Time;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Definition;
using OtelLab.Tests.Backends;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios.Checks;

/// <summary>dataWithin counts once per run: checks after the first wait only for what is left of it, with a floor.</summary>
[Trait("Category", "Unit")]
public sealed class CheckContextTests
{
    [Fact]
    public void Before_the_checks_start_a_check_may_wait_the_whole_data_within()
    {
        Assert.Equal(TimeSpan.FromSeconds(35), Context(TimeSpan.FromSeconds(35)).DataWait);
    }

    [Fact]
    public void Once_started_the_wait_is_what_is_left_but_never_below_the_floor()
    {
        // Given a run's checks started with dataWithin 35 s
        var context = Context(TimeSpan.FromSeconds(35));
        context.StartDataClock();

        // Then a check waits at most the 35 s and at least the 10 s floor
        Assert.InRange(context.DataWait, CheckContext.MinimumDataWait, TimeSpan.FromSeconds(35));
    }

    [Fact]
    public void A_data_within_below_the_floor_is_kept_whole()
    {
        var context = Context(TimeSpan.FromSeconds(3));
        context.StartDataClock();

        Assert.Equal(TimeSpan.FromSeconds(3), context.DataWait);
    }

    [Fact]
    public void On_a_lab_clock_data_within_is_lab_time_with_a_wall_time_floor_for_the_real_processes()
    {
        // Given dataWithin 35 s of lab time at timeScale 10 (3.5 s of wall time), and 300 s (30 s of wall time)
        var wall = new ManualTimeProvider();
        var clock = new LabClock(10, wall);
        var context = Context(TimeSpan.FromSeconds(35), clock);
        var longer = Context(TimeSpan.FromSeconds(300), clock);

        // Then the first is raised to the 15 s wall-time window the sample services need; the second is 30 s of wall time
        Assert.Equal(CheckContext.MinimumDataWindow, context.DataWait);
        Assert.Equal(TimeSpan.FromSeconds(30), longer.DataWait);

        // And once started it counts down in wall time, never below the per-check floor (2 s of wall time)
        context.StartDataClock();
        wall.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromSeconds(10), context.DataWait);
        wall.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(CheckContext.MinimumWallDataWait, context.DataWait);
    }

    [Fact]
    public async Task Once_the_window_passed_with_nothing_at_any_backend_a_check_waits_no_more_but_keeps_its_floor_when_data_came()
    {
        // Given a run at timeScale 10 whose two backends have received nothing, its checks started
        var wall = new ManualTimeProvider();
        await using var dynatrace = new DynatraceBackendBuilder().WithToken("dt0c01.CHECKCONTEXTTESTPUBLIC000.SECRETSECRETSECRETSECRET").Build();
        await using var datadog = new DatadogBackendBuilder().WithApiKey("0123456789abcdef0123456789abcdef").Build();
        var context = Context(TimeSpan.FromSeconds(35), new LabClock(10, wall), [dynatrace, datadog]);
        context.StartDataClock();

        // Then within the window a silent run still waits what is left of it
        wall.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromSeconds(10), context.DataWait);

        // And once the window has passed with nothing anywhere, a check waits no more
        wall.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(TimeSpan.Zero, context.DataWait);

        // When one span reaches one backend, Then checks get their floor again to accumulate what arrives
        var origin = new OtlpCapture.Origin("datadog", OtelLab.Backends.Capture.CredentialFingerprint.Of("0123456789abcdef0123456789abcdef"), DateTimeOffset.UnixEpoch, "127.0.0.1");
        datadog.Captures.AddSpans(OtlpCapture.Spans(OtlpPayloads.Trace("checkout", 1), origin));
        Assert.Equal(CheckContext.MinimumWallDataWait, context.DataWait);
    }

    [Fact]
    public void A_zero_data_within_never_waits()
    {
        var context = Context(TimeSpan.Zero, new LabClock(10, new ManualTimeProvider()));
        Assert.Equal(TimeSpan.Zero, context.DataWait);
        context.StartDataClock();
        Assert.Equal(TimeSpan.Zero, context.DataWait);
    }

    [Fact]
    public void Settling_gets_the_lab_span_at_the_clocks_scale_but_at_least_the_wall_time_floor()
    {
        var context = Context(TimeSpan.FromSeconds(35), new LabClock(2, new ManualTimeProvider()));

        Assert.Equal(CheckContext.MinimumSettleWait, context.SettleWait(TimeSpan.FromSeconds(11)));
        Assert.Equal(TimeSpan.FromSeconds(30), context.SettleWait(TimeSpan.FromSeconds(60)));
    }

    private static CheckContext Context(TimeSpan within, LabClock? clock = null, IReadOnlyList<IMockBackend>? backends = null) => new()
    {
        Scenario = new ScenarioDefinition { Name = "s", ManifestsPath = "." },
        Manifests = new ManifestSet { Objects = [], Errors = [], Files = [] },
        DataWithin = within,
        Clock = clock,
        Backends = backends ?? [],
    };
}
