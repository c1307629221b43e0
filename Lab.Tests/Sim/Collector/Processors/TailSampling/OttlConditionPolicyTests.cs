using OtelLab.Sim.Collector.Processors.TailSampling;
using OtelLab.Sim.Collector.Processors.TailSampling.Internal.Ottl;
using OtelLab.Sim.Collector.Traces;
using static OtelLab.Tests.Sim.Collector.Processors.TailSampling.TestSpans;

namespace OtelLab.Tests.Sim.Collector.Processors.TailSampling;

[Trait("Category", "Unit")]
public sealed class OttlConditionPolicyTests
{
    private static readonly TraceId Trace = Id(4);

    private static OttlConditionEvaluator Policy(string[] span, string[]? spanEvent = null, string errorMode = "ignore") =>
        new(new OttlConditionSettings(errorMode, span, spanEvent ?? []));

    // ottl_test.go newTraceWithSpansAttributes: each span carries one event named "test event".
    private static TraceSpan WithEvent(Dictionary<string, AttributeValue>? spanAttributes = null, Dictionary<string, AttributeValue>? eventAttributes = null) =>
        Span(Trace, attributes: spanAttributes) with { Events = [new SpanEvent("test event", Epoch, eventAttributes ?? [])] };

    [Fact]
    public void Vectors_of_upstream_ottl_test()
    {
        // TestEvaluate_OTTL
        Assert.Equal("expected at least one OTTL condition to filter on", Assert.Throws<ArgumentException>(() => Policy([])).Message);
        var v1 = WithEvent(Attrs(("attr_k_1", "attr_v_1")));
        Assert.Equal(SamplingDecision.Sampled, Policy(["attributes[\"attr_k_1\"] == \"attr_v_1\""]).Evaluate(Trace, [v1]));
        Assert.Equal(SamplingDecision.NotSampled, Policy(["attributes[\"attr_k_1\"] != \"attr_v_1\""]).Evaluate(Trace, [v1]));
        Assert.Equal(SamplingDecision.Sampled, Policy(["attributes[\"attr_k_1\"] != \"attr_v_1\""]).Evaluate(Trace, [WithEvent(Attrs(("attr_k_1", "attr_v_2")))]));
        Assert.Equal(SamplingDecision.Sampled, Policy([], ["attributes[\"event_attr_k_1\"] == \"event_attr_v_1\""]).Evaluate(Trace, [WithEvent(eventAttributes: Attrs(("event_attr_k_1", "event_attr_v_1")))]));
        Assert.Equal(SamplingDecision.Sampled, Policy([], ["name != \"incorrect event name\""]).Evaluate(Trace, [WithEvent()]));
        Assert.Equal(SamplingDecision.NotSampled, Policy(["attributes[\"attr_k_1\"] == \"attr_v_1\""], ["attributes[\"event_attr_k_1\"] == \"event_attr_v_1\""]).Evaluate(Trace, []));
    }

    [Theory]
    [InlineData("status.code == STATUS_CODE_ERROR", true)]
    [InlineData("status.code != STATUS_CODE_ERROR", false)]
    [InlineData("kind == SPAN_KIND_SERVER and attributes[\"http.status_code\"] >= 500", true)]
    [InlineData("attributes[\"http.status_code\"] >= 500 and attributes[\"http.status_code\"] < 503", false)]
    [InlineData("attributes[\"http.status_code\"] > 502.5", true)] // int against float compares numerically
    [InlineData("attributes[\"missing\"] == nil", true)]
    [InlineData("attributes[\"missing\"] != \"x\"", true)]
    [InlineData("attributes[\"missing\"] < 5", false)]
    [InlineData("attributes[\"http.status_code\"] == \"503\"", false)] // int is not equal to a string
    [InlineData("not (name == \"pay\" or name == \"refund\")", false)]
    [InlineData("not name == \"refund\" and resource.attributes[\"service.name\"] == \"checkout\"", true)]
    [InlineData("IsMatch(attributes[\"http.route\"], \"^/api/v[0-9]+/orders\")", true)]
    [InlineData("IsMatch(attributes[\"http.status_code\"], \"^5\")", true)] // an int is matched as its decimal text
    [InlineData("IsMatch(attributes[\"missing\"], \".*\")", false)] // nil never matches
    [InlineData("IsRootSpan()", true)]
    [InlineData("span.name == \"pay\" and instrumentation_scope.name == \"lib\"", true)]
    [InlineData("trace_state[\"vendor\"] == \"x1\"", true)]
    [InlineData("name > \"pax\" and name < \"pb\"", true)] // strings order bytewise
    public void Span_conditions_follow_ottl_comparison_rules(string condition, bool sampled)
    {
        var span = Span(Trace, SpanStatusCode.Error, attributes: Attrs(("http.status_code", 503L), ("http.route", "/api/v2/orders/7"))) with
        {
            Name = "pay",
            Kind = SpanKind.Server,
            ScopeName = "lib",
            TraceState = "vendor=x1",
        };
        Assert.Equal(sampled ? SamplingDecision.Sampled : SamplingDecision.NotSampled, Policy([condition]).Evaluate(Trace, [span]));
    }

    [Fact]
    public void Evaluation_errors_follow_error_mode()
    {
        // Given a condition that indexes a string attribute as a map (an evaluation error in OTTL), then one that holds
        var span = Span(Trace, attributes: Attrs(("user", "alice"))) with { Name = "keep" };
        string[] conditions = ["attributes[\"user\"][\"id\"] == \"1\"", "name == \"keep\""];

        // Then propagate (and the default, unset) makes the policy vote Error; ignore and silent skip the failing condition
        Assert.Equal(SamplingDecision.Error, Policy(conditions, errorMode: "propagate").Evaluate(Trace, [span]));
        Assert.Equal(SamplingDecision.Error, Policy(conditions, errorMode: string.Empty).Evaluate(Trace, [span]));
        Assert.Equal(SamplingDecision.Sampled, Policy(conditions, errorMode: "ignore").Evaluate(Trace, [span]));
        Assert.Equal(SamplingDecision.Sampled, Policy(conditions, errorMode: "silent").Evaluate(Trace, [span]));
    }

    [Theory]
    [InlineData("Len(name) > 3", "OTTL condition \"Len(name) > 3\": converter Len is not emulated by the lab")]
    [InlineData("attributes[\"a\"] + 1 == 2", "OTTL condition \"attributes[\"a\"] + 1 == 2\": math expressions ('+') are not emulated")]
    [InlineData("dropped_attributes_count > 0", "OTTL condition \"dropped_attributes_count > 0\": path \"dropped_attributes_count\" is not one the lab emulates in the span context")]
    [InlineData("name == \"x\" and", "unable to parse OTTL condition \"name == \"x\" and\": 1:16: unexpected end of condition")]
    [InlineData("name = \"x\"", "unable to parse OTTL condition \"name = \"x\"\": 1:6: unexpected character '='")]
    [InlineData("status.code == STATUS_CODE_FAILED", "unable to parse OTTL condition \"status.code == STATUS_CODE_FAILED\": 1:16: enum symbol, STATUS_CODE_FAILED, not found")]
    [InlineData("attributes[\"k\"]", "unable to parse OTTL condition \"attributes[\"k\"]\": 1:1: a value on its own is not a condition")]
    [InlineData("set(name, \"x\")", "unable to parse OTTL condition \"set(name, \"x\")\": 1:1: converter names must start with an uppercase letter but got 'set'")]
    public void Refuses_what_it_cannot_evaluate_naming_it(string condition, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => Policy([condition]));
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1e6, "1e+06")]
    [InlineData(123456.5, "123456.5")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(100000, "100000")]
    public void A_double_is_matched_as_go_formats_it(double value, string text)
    {
        Assert.Equal(text, OttlStringLike.GoFloat(value));
    }
}
