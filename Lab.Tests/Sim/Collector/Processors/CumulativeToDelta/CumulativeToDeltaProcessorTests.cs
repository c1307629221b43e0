using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Processors.CumulativeToDelta;
using OtelLab.Sim.Collector.Traces;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Collector.Processors.CumulativeToDelta;

[Trait("Category", "Component")]
public sealed class CumulativeToDeltaProcessorTests
{
    private const ulong Second = 1_000_000_000UL;

    private static async Task<(ComponentHarness, CumulativeToDeltaProcessor, ManualTimeProvider)> StartAsync(string settings = "{}")
    {
        var time = new ManualTimeProvider();
        var harness = await ComponentHarness.StartAsync(time: time);
        var processor = (CumulativeToDeltaProcessor)new CumulativeToDeltaFactory().Create(harness.Context("cumulativetodelta", ComponentKind.Processor, settings, "metrics"));
        await processor.StartAsync(TestContext.Current.CancellationToken);
        return (harness, processor, time);
    }

    private static ulong Now(ManualTimeProvider time) => (ulong)(time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100UL;

    private static MetricPoint Counter(string name, double value, ulong start, ulong at, string pod = "a") => new()
    {
        Name = name,
        Kind = MetricKind.Sum,
        IsMonotonic = true,
        Temporality = AggregationTemporality.Cumulative,
        Value = value,
        StartTimeUnixNano = start,
        TimeUnixNano = at,
        Attributes = new Dictionary<string, AttributeValue> { ["pod"] = pod },
    };

    [Fact]
    public async Task First_point_of_a_series_started_before_the_processor_is_dropped_then_deltas_flow_and_a_reset_is_not_emitted()
    {
        // Given a counter that started before the collector (prometheus scrape of a long-running target)
        var (harness, processor, time) = await StartAsync();
        var start = Now(time) - (100 * Second);
        var t0 = Now(time);

        // When four scrapes arrive: 10, 15, 22, then 3 (a restart)
        foreach (var (value, i) in new[] { 10.0, 15, 22, 3, 5 }.Select((v, i) => (v, (ulong)i)))
        {
            await processor.ConsumeAsync([Counter("http_requests_total", value, start, t0 + (i * 15 * Second))], TestContext.Current.CancellationToken);
        }

        // Then: first dropped (auto), 5 and 7 as deltas starting at the previous scrape, the reset dropped, then 2
        var points = harness.Next.Points;
        Assert.Equal([5.0, 7.0, 2.0], points.Select(p => p.Value));
        Assert.All(points, p => Assert.Equal(AggregationTemporality.Delta, p.Temporality));
        Assert.Equal(t0, points[0].StartTimeUnixNano);
        Assert.Equal(t0 + (15 * Second), points[1].StartTimeUnixNano);
        Assert.Equal(t0 + (45 * Second), points[2].StartTimeUnixNano);
    }

    [Fact]
    public async Task Auto_keeps_the_first_point_of_a_series_that_started_after_the_processor()
    {
        var (harness, processor, time) = await StartAsync();
        var start = Now(time) + Second;

        await processor.ConsumeAsync([Counter("c", 4, start, start + Second)], TestContext.Current.CancellationToken);

        Assert.Equal(4.0, Assert.Single(harness.Next.Points).Value);
    }

    [Fact]
    public async Task Series_are_separate_and_gauges_non_monotonic_sums_and_excluded_names_pass_unchanged()
    {
        var (harness, processor, time) = await StartAsync("initial_value: keep\nexclude: {match_type: strict, metrics: [skipped]}");
        var t = Now(time);
        var gauge = new MetricPoint { Name = "g", Value = 1, TimeUnixNano = t };
        var upDown = Counter("ud", 9, t, t) with { IsMonotonic = false };

        await processor.ConsumeAsync([Counter("c", 1, t, t, "a"), Counter("c", 100, t, t, "b"), gauge, upDown, Counter("skipped", 7, t, t)], TestContext.Current.CancellationToken);
        await processor.ConsumeAsync([Counter("c", 3, t, t + Second, "a"), Counter("c", 150, t, t + Second, "b")], TestContext.Current.CancellationToken);

        var points = harness.Next.Points;
        Assert.Equal([1.0, 100, 1, 9, 7, 2, 50], points.Select(p => p.Value));
        Assert.Equal(AggregationTemporality.Cumulative, points[3].Temporality);
        Assert.Equal(AggregationTemporality.Cumulative, points[4].Temporality);
        Assert.Equal(2, processor.TrackedSeries);
    }

    [Fact]
    public async Task Histograms_become_bucket_wise_deltas_and_a_count_decrease_is_emitted_as_is()
    {
        var (harness, processor, time) = await StartAsync("initial_value: drop");
        var t = Now(time);
        MetricPoint Histogram(ulong count, double sum, ulong[] buckets, ulong at) => new()
        {
            Name = "latency", Kind = MetricKind.Histogram, Temporality = AggregationTemporality.Cumulative,
            Count = count, Value = sum, ExplicitBounds = [0.1, 1], BucketCounts = buckets, StartTimeUnixNano = t, TimeUnixNano = at,
        };

        await processor.ConsumeAsync([Histogram(10, 5, [5, 3, 2], t)], TestContext.Current.CancellationToken);
        await processor.ConsumeAsync([Histogram(16, 9, [8, 5, 3], t + Second)], TestContext.Current.CancellationToken);
        await processor.ConsumeAsync([Histogram(2, 1, [1, 1, 0], t + (2 * Second))], TestContext.Current.CancellationToken);

        var points = harness.Next.Points;
        Assert.Equal(2, points.Count);
        Assert.Equal(6UL, points[0].Count);
        Assert.Equal(4.0, points[0].Value);
        Assert.Equal([3UL, 2, 1], points[0].BucketCounts);
        Assert.Equal(2UL, points[1].Count); // upstream: "Calculate deltas unless histogram count was reset"
        Assert.Equal([1UL, 1, 0], points[1].BucketCounts);
    }

    [Fact]
    public async Task Max_staleness_forgets_a_series_so_its_next_point_is_a_first_point_again()
    {
        // Given max_staleness 1m and a series seen at t0
        var (harness, processor, time) = await StartAsync("max_staleness: 1m\ninitial_value: drop");
        var t0 = Now(time);
        await processor.ConsumeAsync([Counter("c", 10, t0, t0)], TestContext.Current.CancellationToken);
        Assert.Equal(1, processor.TrackedSeries);

        // When it stays silent for two sweeps (the sweep at 1m sees it exactly 1m old: not yet stale)
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, processor.TrackedSeries);
        time.Advance(TimeSpan.FromMinutes(1));

        // Then its state is gone and the next point only seeds a new state
        Assert.Equal(0, processor.TrackedSeries);
        await processor.ConsumeAsync([Counter("c", 30, t0, Now(time))], TestContext.Current.CancellationToken);
        Assert.Empty(harness.Next.Points);
    }
}
