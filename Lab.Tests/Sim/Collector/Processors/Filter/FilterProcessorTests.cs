using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Processors.Filter;

namespace OtelLab.Tests.Sim.Collector.Processors.Filter;

[Trait("Category", "Component")]
public sealed class FilterProcessorTests
{
    private static readonly string[] Names = ["http.server.duration", "jvm.memory.used", "process.cpu.time", "up"];

    private static async Task<IReadOnlyList<string>> KeptAsync(string settings)
    {
        var harness = await ComponentHarness.StartAsync();
        var processor = (FilterProcessor)new FilterFactory().Create(harness.Context("filter", ComponentKind.Processor, settings, "metrics"));
        await processor.ConsumeAsync(Names.Select(n => new MetricPoint { Name = n }).ToList(), TestContext.Current.CancellationToken);
        Assert.Equal(Names.Length - harness.Next.Points.Count, processor.Filtered);
        return harness.Next.Points.Select(p => p.Name).ToList();
    }

    [Theory]
    [InlineData("metrics: {include: {match_type: strict, metric_names: [up, jvm.memory]}}", "up")]
    [InlineData("metrics: {exclude: {match_type: strict, metric_names: [up]}}", "http.server.duration,jvm.memory.used,process.cpu.time")]
    [InlineData("metrics: {exclude: {match_type: regexp, metric_names: [\"memory\"]}}", "http.server.duration,process.cpu.time,up")] // unanchored
    [InlineData("metrics: {exclude: {match_type: regexp, metric_names: [\"^p\"]}}", "http.server.duration,jvm.memory.used,up")]
    [InlineData("metrics: {metric: ['name == \"up\"', 'IsMatch(metric.name, \"^jvm\\\\.\")']}", "http.server.duration,process.cpu.time")]
    [InlineData("error_mode: ignore\nmetrics: {metric: ['metric.name != \"up\"']}", "up")]
    public async Task Keeps_and_drops_metrics_by_name_as_upstream_matches_them(string settings, string expected)
    {
        Assert.Equal(expected.Split(','), await KeptAsync(settings));
    }

    [Fact]
    public async Task A_batch_filtered_to_nothing_is_not_forwarded()
    {
        var harness = await ComponentHarness.StartAsync();
        var processor = new FilterFactory().Create(harness.Context("filter", ComponentKind.Processor, "metrics: {exclude: {match_type: regexp, metric_names: [\".*\"]}}", "metrics"));

        await ((IMetricConsumer)processor).ConsumeAsync([new MetricPoint { Name = "up" }], TestContext.Current.CancellationToken);

        Assert.Empty(harness.Next.PointBatches);
    }

    [Theory]
    [InlineData("metrics: {metric: ['type == METRIC_DATA_TYPE_SUM']}", "OTTL condition 'type == METRIC_DATA_TYPE_SUM' is not emulated")]
    [InlineData("metrics: {metric: ['name == \"x\"'], exclude: {match_type: strict, metric_names: [y]}}", "cannot use ottl conditions and include/exclude for metrics at the same time")]
    [InlineData("metrics: {include: {metric_names: [y]}}", "unrecognized match_type: ''")]
    [InlineData("error_mode: loud", "unknown error mode loud")]
    public async Task Configurations_the_lab_cannot_honour_fail_the_start_clearly(string settings, string expected)
    {
        var harness = await ComponentHarness.StartAsync();

        var error = Assert.Throws<CollectorStartException>(() => new FilterFactory().Create(harness.Context("filter", ComponentKind.Processor, settings, "metrics")));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
