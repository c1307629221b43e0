using OtelLab.K3s;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.AppHost;

/// <summary>
/// <c>up</c>/<c>test --cluster k3s</c> on a machine without a Docker engine: exit 2 before anything starts, naming
/// what is missing and how to provide it.
/// </summary>
[Trait("Category", "Unit")]
public sealed class K3sCommandTests
{
    [Fact]
    public async Task K3s_without_an_engine_exits_2_naming_what_is_missing_and_how_to_provide_it()
    {
        Assert.SkipWhen(await new DockerEngineProbe().IsReachableAsync(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken),
            "a Docker engine answers here: up --cluster k3s would start k3s (the K3s-category tests cover that)");

        var (code, _, error) = await LabCliRun.RunAsync("up", "--cluster", "k3s");

        Assert.Equal(2, code);
        Assert.Contains("error: --cluster k3s cannot start on this machine; missing (1):\n  - a Docker engine (", error.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("export DOCKER_API_VERSION=1.41 TESTCONTAINERS_RYUK_DISABLED=true", error, StringComparison.Ordinal);
        Assert.Contains("pass --images images --charts charts:", error, StringComparison.Ordinal);
        Assert.Contains("docker save rancher/k3s:v1.31.2-k3s1 -o k3s.tar", error, StringComparison.Ordinal);
        Assert.Contains("helm pull open-telemetry/opentelemetry-operator --version 0.74.2 -d charts", error, StringComparison.Ordinal);
        Assert.Contains("or use --cluster sim", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task K3s_refuses_a_dashboard_port_it_cannot_use_before_any_preflight()
    {
        // k3s's app model (the container and its pods) takes the dashboard's ports as the sim's does
        var (code, _, error) = await LabCliRun.RunAsync("up", "--cluster", "k3s", "--port", "1");

        Assert.Equal(2, code);
        Assert.StartsWith("error: --port 1: must be -1, 0, or a port from 2 to 65533", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Docker engine", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task K3s_with_air_gap_folders_names_what_they_lack()
    {
        Assert.SkipWhen(await new DockerEngineProbe().IsReachableAsync(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken),
            "a Docker engine answers here: up --cluster k3s would start k3s (the K3s-category tests cover that)");
        using var images = new TempDirectory();
        using var charts = new TempDirectory();

        var (code, _, error) = await LabCliRun.RunAsync("up", "--cluster", "k3s", "--images", images.Path, "--charts", charts.Path);

        Assert.Equal(2, code);
        Assert.Contains("missing (6):", error, StringComparison.Ordinal); // the engine, the images, k3s's air-gap images, three chart tarballs
        Assert.Contains($"in --charts {charts.Path}: opentelemetry-operator-0.74.2.tgz", error, StringComparison.Ordinal);
        Assert.Contains($"in --images {images.Path}: k3s-airgap-images-amd64.tar.zst", error, StringComparison.Ordinal);
        Assert.DoesNotContain("without registry access", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_on_k3s_without_an_engine_exits_2_with_the_same_report()
    {
        Assert.SkipWhen(await new DockerEngineProbe().IsReachableAsync(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken),
            "a Docker engine answers here");

        var (code, _, error) = await LabCliRun.RunAsync("test", "--cluster", "k3s", "--scenario", "payments-fixed");

        Assert.Equal(2, code);
        Assert.Contains("  - a Docker engine (", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_static_test_of_the_guide_reports_its_helm_install_failure()
    {
        using var dir = new TempDirectory();

        var (code, output, _) = await LabCliRun.RunAsync("test", "--scenario", "payments", "--static", "--out", dir.Path);

        Assert.Equal(1, code);
        var report = await File.ReadAllTextAsync(Path.Combine(dir.Path, "report.json"), TestContext.Current.CancellationToken);
        Assert.Contains("helm-values-schema", report, StringComparison.Ordinal);
        Assert.Contains("Additional property targetAllocator is not allowed", report, StringComparison.Ordinal);
        Assert.Contains("FAIL    lint", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("up")]
    [InlineData("test")]
    public async Task Watch_over_wire_on_k3s_exits_2_saying_it_is_a_sim_setting(string verb)
    {
        var (code, _, error) = await LabCliRun.RunAsync(verb, "--cluster", "k3s", "--watch-over-wire");

        Assert.Equal(2, code);
        Assert.Contains("error: --watch-over-wire is a sim setting", error, StringComparison.Ordinal);
        Assert.Contains("drop --watch-over-wire or use --cluster sim", error, StringComparison.Ordinal);
    }
}
