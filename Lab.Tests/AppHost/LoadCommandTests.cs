using OtelLab.Tests.Support;

namespace OtelLab.Tests.AppHost;

/// <summary><c>otel-lab load</c>: bad input exits 2 before a lab starts.</summary>
[Trait("Category", "Unit")]
public sealed class LoadCommandTests
{
    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_bad_threshold_names_the_text_and_what_is_accepted()
    {
        var (code, _, error) = await LabCliRun.RunAsync("load", "--scenario", "payments-load", "--threshold", "p99 below 400ms");

        Assert.Equal(2, code);
        Assert.Contains("error: --threshold 'p99 below 400ms' is not a threshold; accepted: [SCENARIO:] p50|p75|p95|p99", error, StringComparison.Ordinal);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Bad_load_simulations_on_the_command_line_name_the_option_line_and_fix()
    {
        var (code, _, error) = await LabCliRun.RunAsync("load", "--scenario", "payments-load", "--load", "[{inject: {rate: 10}}]");

        Assert.Equal(2, code);
        Assert.Contains("--load:1:", error, StringComparison.Ordinal);
        Assert.Contains("load.simulations[0].inject: during: is missing", error, StringComparison.Ordinal);
        Assert.Contains("fix: say how long the phase lasts", error, StringComparison.Ordinal);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_dashboard_port_out_of_range_exits_2_before_a_lab_starts()
    {
        var (code, output, error) = await LabCliRun.RunAsync("load", "--scenario", "payments-load", "--port", "70000");

        Assert.Equal(2, code);
        Assert.Contains("error: --port 70000: must be -1, 0, or a port from 2 to 65533", error, StringComparison.Ordinal);
        Assert.DoesNotContain("starting the lab", output, StringComparison.Ordinal);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_limit_search_on_an_unknown_target_names_the_targets_and_the_default()
    {
        var (code, _, error) = await LabCliRun.RunAsync("load", "--scenario", "payments-load", "--find-limit", "everything");

        Assert.Equal(2, code);
        Assert.Contains("error: --find-limit everything: unknown target", error, StringComparison.Ordinal);
        Assert.Contains("fix: name one of trace, otlp, farm (or none: the scenario's first simulation's target, here trace)", error, StringComparison.Ordinal);
    }
}

/// <summary><c>otel-lab load --scenario payments-load</c> on the simulated cluster (lab time at the scenario's timeScale 10).</summary>
[Trait("Category", "Lab")]
public sealed class LoadCommandLabTests
{
    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Payments_load_prints_the_table_writes_four_reports_and_fails_on_a_breached_threshold()
    {
        LabCliRun.SkipWithoutLoopbackSupport();
        using var dir = new TempDirectory();

        // When payments-load runs a short trace ramp and farm churn with an impossible latency bound added
        var (code, output, error) = await LabCliRun.RunAsync("load", "--scenario", "payments-load", "--out", dir.Path, "--threshold", "trace: p50 < 0.001ms",
            "--load", "[{target: trace, rampingInject: {rate: 5, interval: 1s, during: 10s}}, {target: farm, inject: {rate: 1, interval: 1s, during: 10s}}]");

        // Then the run fails, naming the breached threshold with its measured value, beside NBomber's table and the pipeline's view
        Assert.True(code == 1, output + error);
        Assert.Matches(@"FAIL  trace: p50 < 0.001ms breached: measured [0-9.]+ ms", output);
        Assert.Contains("│ name                    │ POST /checkout", output, StringComparison.Ordinal);
        Assert.Contains("│ name                    │ replace a target pod", output, StringComparison.Ordinal);
        Assert.Matches(@"request count\s+│ all = 27, ok = ", output); // a ramp 0 → 5 over 10 s starts 0.5+1+…+5 = 27.5 → 27 requests
        Assert.Contains("otel-gateway (deployment)", output, StringComparison.Ordinal);
        Assert.Contains("PASS  pipeline: dropped == 0", output, StringComparison.Ordinal);
        // CPU and memory per component: the collector pods by thread CPU time, the sample services from /proc
        Assert.Contains("CPU and memory per component over the load:", output, StringComparison.Ordinal);
        Assert.Matches(@"otel-gateway \(deployment\)/otel-gateway-collector-\S+\s+│ collector\s+│ [0-9.]+ │ held \d+ queued batches, \d+ traces", output);
        Assert.Matches(@"checkout-\S+\s+│ process\s+│ [0-9.]+ │ RSS [1-9]\d* MiB", output);
        foreach (var file in new[] { "load-report.html", "load-report.md", "load-report.csv", "load-report.txt" })
        {
            Assert.True(File.Exists(Path.Combine(dir.Path, file)), file);
        }
    }
}
