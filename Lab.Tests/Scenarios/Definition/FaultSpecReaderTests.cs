using OtelLab.Model;
using OtelLab.Scenarios.Definition;

namespace OtelLab.Tests.Scenarios.Definition;

/// <summary>scenario.yaml <c>faults:</c> steps as scenario data.</summary>
[Trait("Category", "Unit")]
public sealed class FaultSpecReaderTests
{
    [Fact]
    public void Backend_and_kill_steps_are_read_with_their_positions()
    {
        var scenario = ScenarioLoader.Parse("scenario.yaml", """
            name: faults
            faults:
            - { at: 10s, backend: dynatrace, status: 503, for: 30s }
            - { at: 15s, kill: pod/observability/otel-gateway-collector }
            - { at: 1m, backend: datadog, status: 400, for: 5s }
            """);

        Assert.Equal(3, scenario.Faults.Count);
        var (outage, kill, reject) = (scenario.Faults[0], scenario.Faults[1], scenario.Faults[2]);
        Assert.Equal((TimeSpan.FromSeconds(10), "dynatrace", 503, TimeSpan.FromSeconds(30)), (outage.At, outage.Backend, outage.Status, outage.For));
        Assert.Equal(("observability", "otel-gateway-collector"), kill.Kill);
        Assert.Null(kill.Backend);
        Assert.Equal((TimeSpan.FromMinutes(1), "datadog", 400), (reject.At, reject.Backend, reject.Status));
        Assert.Equal(4, kill.Location.Line);
        Assert.Equal("at 15s kill pod/observability/otel-gateway-collector", kill.ToString());
    }

    [Fact]
    public void A_scenario_without_faults_has_none()
    {
        Assert.Empty(ScenarioLoader.Parse("scenario.yaml", "name: x\n").Faults);
    }

    [Theory]
    [InlineData("faults:\n- { at: 1s, backend: dynatrace, status: 503, for: 3s, retry: 2 }\n", 2, "faults[0].retry: unknown key")]
    [InlineData("faults:\n- { backend: dynatrace, status: 503, for: 3s }\n", 2, "faults[0]: at: is missing")]
    [InlineData("faults:\n- { at: 1s }\n", 2, "faults[0]: give either backend: (with status: and for:) or kill:, not neither")]
    [InlineData("faults:\n- { at: 1s, backend: dynatrace, kill: pod/a/b }\n", 2, "faults[0]: give either backend: (with status: and for:) or kill:, not both")]
    [InlineData("faults:\n- { at: 1s, backend: newrelic, status: 503, for: 3s }\n", 2, "faults[0].backend: newrelic is not a mock backend")]
    [InlineData("faults:\n- { at: 1s, backend: dynatrace, status: 200, for: 3s }\n", 2, "faults[0].status: 200 is not an HTTP error status")]
    [InlineData("faults:\n- { at: 1s, backend: dynatrace, status: 503 }\n", 2, "faults[0]: for: is missing")]
    [InlineData("faults:\n- { at: 1s, kill: otel-gateway }\n", 2, "faults[0].kill: otel-gateway does not name a pod")]
    [InlineData("faults:\n- { at: soon, kill: pod/a/b }\n", 2, "faults[0].at: time: invalid duration \"soon\"")]
    [InlineData("faults:\n- 10s\n", 2, "faults[0]: expected a mapping such as { at: 10s, backend: dynatrace, status: 503, for: 30s }, found \"10s\"")]
    public void Bad_steps_are_refused_with_file_line_and_a_fix(string yaml, int line, string message)
    {
        var error = Assert.Throws<ManifestException>(() => ScenarioLoader.Parse("scenario.yaml", "name: x\n" + yaml));

        Assert.Equal(message, error.Message);
        Assert.Equal(line + 1, error.Location.Line);
        Assert.False(string.IsNullOrEmpty(error.Hint));
    }
}
