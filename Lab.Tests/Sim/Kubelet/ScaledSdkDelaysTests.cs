using OtelLab.Sim.Kubelet.Internal;

namespace OtelLab.Tests.Sim.Kubelet;

/// <summary>Real processes get their SDKs' export delays divided by the lab's timeScale (spec defaults when unset).</summary>
[Trait("Category", "Unit")]
public sealed class ScaledSdkDelaysTests
{
    [Fact]
    public void Unset_delays_get_the_specification_defaults_divided_by_the_scale()
    {
        var env = new List<KeyValuePair<string, string>> { new("OTEL_SERVICE_NAME", "checkout") };

        ScaledSdkDelays.Apply(env, 10);

        Assert.Equal("checkout", Value(env, "OTEL_SERVICE_NAME"));
        Assert.Equal("500", Value(env, "OTEL_BSP_SCHEDULE_DELAY"));
        Assert.Equal("100", Value(env, "OTEL_BLRP_SCHEDULE_DELAY"));
        Assert.Equal("6000", Value(env, "OTEL_METRIC_EXPORT_INTERVAL"));
    }

    [Fact]
    public void A_delay_the_pod_sets_is_scaled_from_its_value_and_an_invalid_one_is_left_as_the_sdks_would_ignore_it()
    {
        var env = new List<KeyValuePair<string, string>>
        {
            new("OTEL_BSP_SCHEDULE_DELAY", "2000"),
            new("OTEL_BLRP_SCHEDULE_DELAY", "soon"),
            new("OTEL_METRIC_EXPORT_INTERVAL", "3"),
        };

        ScaledSdkDelays.Apply(env, 4);

        Assert.Equal("500", Value(env, "OTEL_BSP_SCHEDULE_DELAY"));
        Assert.Equal("soon", Value(env, "OTEL_BLRP_SCHEDULE_DELAY"));
        Assert.Equal("1", Value(env, "OTEL_METRIC_EXPORT_INTERVAL"));
        Assert.Equal(3, env.Count);
    }

    [Fact]
    public void At_real_time_the_environment_is_exactly_what_the_pod_was_given()
    {
        var env = new List<KeyValuePair<string, string>> { new("OTEL_BSP_SCHEDULE_DELAY", "2000") };

        ScaledSdkDelays.Apply(env, 1);

        Assert.Equal([new("OTEL_BSP_SCHEDULE_DELAY", "2000")], env);
    }

    private static string Value(List<KeyValuePair<string, string>> env, string name) => Assert.Single(env, e => e.Key == name).Value;
}
