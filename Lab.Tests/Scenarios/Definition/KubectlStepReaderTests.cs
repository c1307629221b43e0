using OtelLab.Model;
using OtelLab.Scenarios.Definition;

namespace OtelLab.Tests.Scenarios.Definition;

/// <summary>scenario.yaml <c>steps:</c> (kubectl runs with expectations) as scenario data.</summary>
[Trait("Category", "Unit")]
public sealed class KubectlStepReaderTests
{
    [Fact]
    public void Steps_are_read_with_their_arguments_version_expectations_and_positions()
    {
        var scenario = ScenarioLoader.Parse("scenario.yaml", """
            name: steps
            steps:
            - kubectl: [get, pods, -n, observability, -l, app.kubernetes.io/managed-by=opentelemetry-operator]
              expect: { exitCode: 0, stdoutContains: [Running, otel-agent], stdoutMatches: '^otel-gateway-' }
            - kubectl: [exec, deploy/x, --, wget, -qO-, "localhost:8888/metrics"]
              kubectlVersion: "1.27"
              within: 30s
            """);

        Assert.Equal(2, scenario.Steps.Count);
        var (get, exec) = (scenario.Steps[0], scenario.Steps[1]);
        Assert.Equal(["get", "pods", "-n", "observability", "-l", "app.kubernetes.io/managed-by=opentelemetry-operator"], get.Arguments);
        Assert.Equal(("1.32", 3), (get.Version, get.Location.Line));
        Assert.Equal(["Running", "otel-agent"], get.Expect.StdoutContains);
        Assert.Equal(("1.27", 0, 5), (exec.Version, exec.Expect.ExitCode, exec.Location.Line));
        Assert.Equal((TimeSpan.Zero, TimeSpan.FromSeconds(30)), (get.Within, exec.Within));
        Assert.Equal("kubectl.1.27 exec deploy/x -- wget -qO- localhost:8888/metrics", exec.CommandLine);
    }

    [Fact]
    public void Expectations_report_each_miss_and_nothing_when_met()
    {
        var step = ScenarioLoader.Parse("scenario.yaml", "name: x\nsteps:\n- { kubectl: [get, x], expect: { exitCode: 1, stdoutContains: [a, b], stdoutMatches: '^c$', stdoutNotMatches: '^failed [1-9]' } }\n").Steps[0];

        Assert.Empty(step.Expect.Misses(1, "a\nb\nc\nfailed 0\n"));
        Assert.Equal(["exit code 0, expected 1", "stdout does not contain \"b\"", "stdout does not match /^c$/", "stdout matches /^failed [1-9]/: \"failed 3\""],
            step.Expect.Misses(0, "a\ncc\nfailed 3\n"));
    }

    [Theory]
    [InlineData("steps:\n- { kubectl: [get, pods], run: 2 }\n", 2, "steps[0].run: unknown key")]
    [InlineData("steps:\n- { expect: { exitCode: 0 } }\n", 2, "steps[0]: kubectl: is missing or empty")]
    [InlineData("steps:\n- { kubectl: [get, pods], kubectlVersion: 1.3 }\n", 2, "steps[0].kubectlVersion: \"1.3\" is not a kubectl minor version")]
    [InlineData("steps:\n- { kubectl: [get, pods], kubectlVersion: \"27\" }\n", 2, "steps[0].kubectlVersion: \"27\" is not a kubectl minor version")]
    [InlineData("steps:\n- { kubectl: [get], expect: { stdout: x } }\n", 2, "steps[0].expect.stdout: unknown key")]
    [InlineData("steps:\n- { kubectl: [get], expect: { stdoutMatches: '(' } }\n", 2, "steps[0].expect.stdoutMatches: not a regular expression: Invalid pattern '(' at offset 1. Not enough )'s.")]
    [InlineData("steps:\n- { kubectl: [get], expect: { exitCode: zero } }\n", 2, "steps[0].expect.exitCode: expected an integer, found \"zero\"")]
    [InlineData("steps:\n- { kubectl: [get], within: -5s }\n", 2, "steps[0].within: must not be negative")]
    [InlineData("steps:\n- get pods\n", 2, "steps[0]: expected a mapping such as { kubectl: [get, pods, -n, observability], expect: { exitCode: 0, stdoutContains: [Running] } }, found \"get pods\"")]
    public void Bad_steps_are_refused_with_file_line_and_a_fix(string yaml, int line, string message)
    {
        var error = Assert.Throws<ManifestException>(() => ScenarioLoader.Parse("scenario.yaml", "name: x\n" + yaml));

        Assert.Equal(message, error.Message);
        Assert.Equal(line + 1, error.Location.Line);
        Assert.False(string.IsNullOrEmpty(error.Hint));
    }
}
