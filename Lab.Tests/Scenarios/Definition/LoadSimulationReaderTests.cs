using OtelLab.Load.Simulations;
using OtelLab.Model;
using OtelLab.Scenarios.Definition;

namespace OtelLab.Tests.Scenarios.Definition;

/// <summary><c>load.simulations</c> and <c>--load</c>: NBomber's simulations as scenario data.</summary>
[Trait("Category", "Unit")]
public sealed class LoadSimulationReaderTests
{
    [Fact]
    public void Simulations_are_read_per_target_in_order()
    {
        var scenario = ScenarioLoader.Parse("scenario.yaml", """
            name: l
            load:
              services: [checkout]
              simulations:
                - { target: trace, rampingInject: { rate: 20, interval: 1s, during: 30s } }
                - { target: farm, inject: { rate: 2, interval: 500ms, during: 1m } }
                - { pause: 10s }
                - { target: otlp, keepConstant: { copies: 4, during: 20s } }
                - { target: trace, rampingConstant: { copies: 3, during: 5s } }
              otlp: { spansPerRequest: 100, protocol: grpc }
              farm: { seriesInterval: 15s }
            """);

        var plan = scenario.Load.Plan(TimeSpan.FromMinutes(5));
        Assert.Equal(["trace", "farm", "otlp"], plan.Select(p => p.Target));
        var trace = plan[0].Simulations;
        Assert.Equal([typeof(RampingInjectSimulation), typeof(PauseSimulation), typeof(RampingConstantSimulation)], trace.Select(s => s.GetType()));
        Assert.Equal("rampingInject(rate: 20, interval: 1s, during: 30s)", trace[0].ToString());
        Assert.Equal("scenario.yaml:5", trace[0].Source);
        Assert.Equal(TimeSpan.FromMilliseconds(500), ((InjectSimulation)plan[1].Simulations[0]).Interval);
        Assert.Equal(4, ((KeepConstantSimulation)plan[2].Simulations[0]).Copies);
        Assert.Equal(100, scenario.Load.OtlpSpansPerRequest);
        Assert.Equal("grpc", scenario.Load.OtlpProtocol);
        Assert.Equal(TimeSpan.FromSeconds(15), scenario.Load.FarmSeriesInterval);
    }

    [Fact]
    public void A_single_rate_is_one_inject_into_the_front_service()
    {
        var scenario = ScenarioLoader.Parse("scenario.yaml", "name: l\nload: { rate: 5, errorRatio: 0.05, services: [checkout] }\n");

        var (target, simulations) = Assert.Single(scenario.Load.Plan(TimeSpan.FromSeconds(30)));
        Assert.Equal("trace", target);
        Assert.Equal(new InjectSimulation { Rate = 5, Interval = TimeSpan.FromSeconds(1), During = TimeSpan.FromSeconds(30) }, Assert.Single(simulations));
        Assert.Equal(0.05, scenario.Load.ErrorRatio);
        Assert.Empty(scenario.Load.Simulations);
    }

    [Fact]
    public void The_command_line_takes_the_same_list_as_yaml()
    {
        var simulations = ScenarioLoader.ParseLoadOption("[{inject: {rate: 10, interval: 1s, during: 20s}}, {pause: 5s}, {target: otlp, inject: {rate: 3, during: 2s}}]");

        Assert.Equal(["trace", "trace", "otlp"], simulations.Select(s => s.Target));
        Assert.Equal(TimeSpan.FromSeconds(5), simulations[1].Simulation.During);
        Assert.Equal("--load:1", simulations[0].Simulation.Source);
    }

    [Theory]
    [InlineData("- { inject: { rate: 10, during: 30s }, pause: 5s }", 4, "load.simulations[0]: several simulations (inject, pause) in one entry")]
    [InlineData("- { target: trace }", 4, "load.simulations[0]: no simulation in one entry")]
    [InlineData("- { target: grpc, inject: { rate: 1, during: 1s } }", 4, "load.simulations[0].target: grpc is not a load target")]
    [InlineData("- { inject: { rate: 1, during: 1s, copies: 2 } }", 4, "load.simulations[0].inject.copies: unknown key")]
    [InlineData("- { inject: { rate: 1 } }", 4, "load.simulations[0].inject: during: is missing")]
    [InlineData("- { inject: { rate: -1, during: 1s } }", 4, "load.simulations[0].inject.rate: must not be negative")]
    [InlineData("- { inject: { rate: ten, during: 1s } }", 4, "load.simulations[0].inject.rate: expected a number, found \"ten\"")]
    [InlineData("- { inject: { rate: 1, interval: 2s, during: 1s } }", 4, "load.simulations[0].inject.interval: 2s is longer than during")]
    [InlineData("- { keepConstant: { during: 1s } }", 4, "load.simulations[0].keepConstant: copies: is missing")]
    [InlineData("- { pause: 0s }", 4, "load.simulations[0].pause: must be longer than 0")]
    [InlineData("- { pause: soon }", 4, "load.simulations[0].pause: time: invalid duration \"soon\"")]
    [InlineData("- { rampUp: { rate: 1, during: 1s } }", 4, "load.simulations[0].rampUp: unknown key")]
    [InlineData("- { pause: 1s }\n  otlp: { protocol: thrift }", 5, "load.otlp.protocol: Unsupported value: \"thrift\": supported values: \"http\", \"grpc\"")]
    public void Bad_simulations_are_refused_with_file_line_and_a_fix(string entry, int line, string message)
    {
        var error = Assert.Throws<ManifestException>(() => ScenarioLoader.Parse("scenario.yaml", "name: x\nload:\n  simulations:\n    " + entry + "\n"));

        Assert.Equal(message, error.Message);
        Assert.Equal(line, error.Location.Line);
        Assert.False(string.IsNullOrEmpty(error.Hint));
    }

    [Fact]
    public void A_rate_beside_simulations_is_refused_with_how_to_write_it()
    {
        var error = Assert.Throws<ManifestException>(() => ScenarioLoader.Parse("scenario.yaml", "name: x\nload:\n  rate: 5\n  simulations:\n    - { pause: 1s }\n"));

        Assert.Equal("load.rate and load.simulations: give one of them", error.Message);
        Assert.Equal(3, error.Location.Line);
        Assert.Contains("inject: { rate: N", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_command_line_simulations_name_the_option()
    {
        var broken = Assert.Throws<ManifestException>(() => ScenarioLoader.ParseLoadOption("[{inject: {rate: 10"));
        var notAList = Assert.Throws<ManifestException>(() => ScenarioLoader.ParseLoadOption("inject: 5"));

        Assert.Equal("--load", broken.Location.File);
        Assert.StartsWith("invalid YAML", broken.Message, StringComparison.Ordinal);
        Assert.Equal("--load must be a YAML list of simulations", notAList.Message);
    }
}
