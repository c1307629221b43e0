using OtelLab.Sim.Collector.Processors.TailSampling;
using OtelLab.Sim.Collector.Processors.TailSampling.Internal;
using OtelLab.Sim.Collector.Traces;
using static OtelLab.Tests.Sim.Collector.Processors.TailSampling.TestSpans;

namespace OtelLab.Tests.Sim.Collector.Processors.TailSampling;

/// <summary>string_attribute on the cases of upstream's string_tag_filter_test.go TestStringTagFilter.</summary>
[Trait("Category", "Unit")]
public sealed class StringAttributePolicyTests
{
    private const string Health = "grpc.health.v1.HealthCheck";

    [Theory]
    // (resource attribute, span attribute, values separated by '|', regex, invert) → decision; attributes as key=value
    [InlineData("non_matching=value", "", "value", false, false, SamplingDecision.NotSampled)]
    [InlineData("example=non_matching", "", "value", false, false, SamplingDecision.NotSampled)]
    [InlineData("example=value", "", "value", false, false, SamplingDecision.Sampled)]
    [InlineData("", "nonmatching=value", "value", false, false, SamplingDecision.NotSampled)]
    [InlineData("", "example=nonmatching", "value", false, false, SamplingDecision.NotSampled)]
    [InlineData("", "example=value", "value", false, false, SamplingDecision.Sampled)]
    [InlineData("", "example=" + Health, "v[0-9]+.HealthCheck$", true, false, SamplingDecision.Sampled)]
    [InlineData("", "example=" + Health, "v[a-z]+.HealthCheck$", true, false, SamplingDecision.NotSampled)]
    [InlineData("example=value", "", "value", true, false, SamplingDecision.Sampled)]
    [InlineData("", "example=" + Health, "", true, false, SamplingDecision.NotSampled)]
    [InlineData("non_matching=value", "", "value", false, true, SamplingDecision.InvertSampled)]
    [InlineData("example=non_matching", "", "value", false, true, SamplingDecision.InvertSampled)]
    [InlineData("example=non_matching", "", "first_value|value|last_value", false, true, SamplingDecision.InvertSampled)]
    [InlineData("example=value", "", "value", false, true, SamplingDecision.InvertNotSampled)]
    [InlineData("example=value", "", "first_value|value|last_value", false, true, SamplingDecision.InvertNotSampled)]
    [InlineData("", "nonmatching=value", "value", false, true, SamplingDecision.InvertSampled)]
    [InlineData("", "example=nonmatching", "value", false, true, SamplingDecision.InvertSampled)]
    [InlineData("", "example=nonmatching", "first_value|value|last_value", false, true, SamplingDecision.InvertSampled)]
    [InlineData("", "example=value", "value", false, true, SamplingDecision.InvertNotSampled)]
    [InlineData("", "example=value", "first_value|value|last_value", false, true, SamplingDecision.InvertNotSampled)]
    [InlineData("", "example=" + Health, "v[0-9]+.HealthCheck$", true, true, SamplingDecision.InvertNotSampled)]
    [InlineData("", "example=" + Health, "^http|v[0-9]+.HealthCheck$|metrics$", true, true, SamplingDecision.InvertNotSampled)]
    [InlineData("", "example=" + Health, "v[a-z]+.HealthCheck$", true, true, SamplingDecision.InvertSampled)]
    [InlineData("", "example=" + Health, "^http|v[a-z]+.HealthCheck$|metrics$", true, true, SamplingDecision.InvertSampled)]
    [InlineData("example=value", "", "value", true, true, SamplingDecision.InvertNotSampled)]
    [InlineData("example=value", "", "first_value|value|last_value", true, true, SamplingDecision.InvertNotSampled)]
    [InlineData("", "example=" + Health, "", true, true, SamplingDecision.InvertSampled)]
    public void Vectors_of_upstream_string_tag_filter_test(string resourceAttribute, string spanAttribute, string values, bool regex, bool invert, SamplingDecision expected)
    {
        var trace = Id(5);
        var span = Span(trace, resource: new TelemetryResource(Attributes(resourceAttribute)), attributes: Attributes(spanAttribute));
        var policy = new StringAttributeEvaluator("example", values.Length == 0 ? [] : values.Split('|'), regex, cacheMaxSize: 0, invert);
        Assert.Equal(expected, policy.Evaluate(trace, [span]));
    }

    private static Dictionary<string, AttributeValue> Attributes(string keyValue) =>
        keyValue.Length == 0 ? [] : Attrs((keyValue[..keyValue.IndexOf('=', StringComparison.Ordinal)], keyValue[(keyValue.IndexOf('=', StringComparison.Ordinal) + 1)..]));
}
