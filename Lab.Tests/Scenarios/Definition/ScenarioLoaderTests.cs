using OtelLab.Model;
using OtelLab.Scenarios.Definition;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios.Definition;

[Trait("Category", "Unit")]
public sealed class ScenarioLoaderTests
{
    [Fact]
    public void The_bundled_payments_scenario_loads_with_its_vault_block_and_defaults()
    {
        var scenario = ScenarioLoader.Load(RepoPaths.Scenario("payments"));

        Assert.Equal("payments", scenario.Name);
        Assert.Equal(3, scenario.Nodes);
        Assert.Equal(Path.Combine(RepoPaths.Scenario("payments"), "manifests"), scenario.ManifestsPath);
        Assert.Equal(2, scenario.Vault!.Secrets.Count);
        Assert.Equal(["abc12345.live.dynatrace.com"], scenario.Backends.DynatraceHosts);
        Assert.Equal(["api.datadoghq.com", "trace.agent.datadoghq.com", "http-intake.logs.datadoghq.com"], scenario.Backends.DatadogHosts);
        Assert.True(scenario.Expectations.LintClean);
    }

    [Fact]
    public void Time_scale_targets_load_backends_and_expectations_are_read()
    {
        var scenario = ScenarioLoader.Parse("scenario.yaml", """
            name: load
            manifests: m
            timeScale: 10
            targets: { count: 9000, metricsPerTarget: 5 }
            load: { rate: 50, duration: 1m, errorRatio: 0.05, slowRatio: 0.1, services: [checkout, payments] }
            backends: { dynatrace: { hosts: [xyz.live.dynatrace.com] }, datadog: { site: datadoghq.eu } }
            expectations: { dataWithin: 20s, parityTolerance: 0.02, startupBudget: 10s }
            """);

        Assert.Equal(10, scenario.TimeScale);
        Assert.Equal((9000, 5, 10), (scenario.Targets.Count, scenario.Targets.MetricsPerTarget, scenario.Targets.SeriesPerMetric));
        Assert.Equal((50d, TimeSpan.FromMinutes(1), 0.05, 0.1), (scenario.Load.RatePerSecond, scenario.Load.Duration!.Value, scenario.Load.ErrorRatio, scenario.Load.SlowRatio));
        Assert.Equal(["checkout", "payments"], scenario.Load.Services);
        Assert.Equal(["xyz.live.dynatrace.com"], scenario.Backends.DynatraceHosts);
        Assert.Contains("trace.agent.datadoghq.eu", scenario.Backends.DatadogHosts);
        Assert.Equal((TimeSpan.FromSeconds(20), 0.02, TimeSpan.FromSeconds(10)), (scenario.Expectations.DataWithin, scenario.Expectations.ParityTolerance, scenario.Expectations.StartupBudget));
    }

    [Theory]
    [InlineData("name: x\ntimescale: 10\n", 2, "timescale: unknown key")]
    [InlineData("name: x\nload:\n  rate: fast\n", 3, "load.rate: expected a number, found \"fast\"")]
    [InlineData("name: x\nload:\n  errorRatio: 5\n", 3, "load.errorRatio: 5 is not a ratio between 0 and 1")]
    [InlineData("name: x\nexpectations:\n  dataWithin: 20 seconds\n", 3, "expectations.dataWithin: time: unknown unit \" seconds\" in duration \"20 seconds\"")]
    [InlineData("name: x\ntimeScale: 0\n", 2, "timeScale: must be greater than 0")]
    [InlineData("name: x\ncluster:\n  watchOverWire: maybe\n", 3, "cluster.watchOverWire: expected a boolean (true or false), found \"maybe\"")]
    public void Bad_input_is_refused_with_file_line_and_a_fix(string yaml, int line, string message)
    {
        var error = Assert.Throws<ManifestException>(() => ScenarioLoader.Parse("scenario.yaml", yaml));

        Assert.Equal(message, error.Message);
        Assert.Equal(line, error.Location.Line);
        Assert.False(string.IsNullOrEmpty(error.Hint));
    }

    [Theory]
    [InlineData("name: x\n", false)]
    [InlineData("name: x\ncluster: { nodes: 2, watchOverWire: true }\n", true)]
    [InlineData("name: x\ncluster: { watchOverWire: false }\n", false)]
    public void Watch_over_wire_is_off_unless_the_cluster_block_turns_it_on(string yaml, bool expected)
    {
        Assert.Equal(expected, ScenarioLoader.Parse("scenario.yaml", yaml).WatchOverWire);
    }
}
