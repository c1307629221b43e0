using System.Formats.Tar;
using System.Net.Sockets;
using System.Text;
using OtelLab.K3s;
using OtelLab.Scenarios.Definition;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.K3s;

/// <summary>What <c>--cluster k3s</c> reports missing before anything starts.</summary>
[Trait("Category", "Unit")]
public sealed class K3sPreflightTests
{
    private static K3sClusterBuilder Payments() =>
        new K3sClusterBuilder().WithInstall(ScenarioLoader.Load(RepoPaths.Scenario("payments")).Install);

    private static void DockerSave(string file, params string[] tags)
    {
        using var tar = new TarWriter(File.Create(file));
        var manifest = $"[{{\"Config\":\"c.json\",\"RepoTags\":[{string.Join(',', tags.Select(t => $"\"{t}\""))}],\"Layers\":[]}}]";
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "manifest.json") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(manifest)) });
    }

    [Fact]
    public async Task Without_an_engine_the_engine_is_named_with_how_to_provide_it()
    {
        using var dir = new TempDirectory();
        var probe = new DockerEngineProbe($"unix://{Path.Combine(dir.Path, "docker.sock")}");

        var problems = await K3sPreflight.CheckAsync(Payments().Configuration, probe, TestContext.Current.CancellationToken);

        var p = Assert.Single(problems);
        Assert.Equal($"a Docker engine (DOCKER_HOST=unix://{Path.Combine(dir.Path, "docker.sock")} does not answer)", p.Missing);
        Assert.Contains("DOCKER_API_VERSION=1.41", p.Fix, StringComparison.Ordinal);
        Assert.Contains("TESTCONTAINERS_RYUK_DISABLED=true", p.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_engine_without_the_k3s_image_is_told_to_load_it()
    {
        // Given an engine on a unix socket that answers /_ping and has no images (404)
        using var dir = new TempDirectory();
        var socketPath = Path.Combine(dir.Path, "docker.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen();
        var requests = new List<string>();
        var engine = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                using var client = await listener.AcceptAsync(TestContext.Current.CancellationToken);
                var buffer = new byte[4096];
                var n = await client.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
                var line = Encoding.ASCII.GetString(buffer, 0, n).Split("\r\n")[0];
                requests.Add(line);
                var status = line.StartsWith("GET /_ping ", StringComparison.Ordinal) ? "200 OK" : "404 Not Found";
                await client.SendAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK"), TestContext.Current.CancellationToken);
            }
        }, TestContext.Current.CancellationToken);

        var problems = await K3sPreflight.CheckAsync(Payments().Configuration, new DockerEngineProbe($"unix://{socketPath}"), TestContext.Current.CancellationToken);
        await engine;

        Assert.Equal(["GET /_ping HTTP/1.1", "GET /images/rancher/k3s:v1.31.2-k3s1/json HTTP/1.1"], requests);
        var p = Assert.Single(problems);
        Assert.Equal("the image rancher/k3s:v1.31.2-k3s1 in the Docker engine", p.Missing);
        Assert.Contains("docker load -i k3s.tar", p.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void An_images_folder_is_checked_against_every_image_the_install_runs()
    {
        using var images = new TempDirectory();
        var builder = Payments().WithImagesDirectory(images.Path);
        var all = K3sPreflight.RequiredImages(builder.Configuration);
        DockerSave(Path.Combine(images.Path, "lab-images.tar"), [.. all.Skip(1).Select(i => i.StartsWith("otel/", StringComparison.Ordinal) ? "docker.io/" + i : i)]);

        var problems = K3sPreflight.ImageProblems(builder.Configuration).ToList();

        Assert.Equal([$"in --images {images.Path}: {all[0]}", $"in --images {images.Path}: k3s-airgap-images-amd64.tar.zst (k3s's own images: coredns, pause, klipper-helm for the HelmChart jobs)"], problems.Select(p => p.Missing));
        Assert.Equal("quay.io/jetstack/cert-manager-controller:v1.15.3", all[0]);
        Assert.Contains("ghcr.io/open-telemetry/opentelemetry-operator/opentelemetry-operator:0.113.0", all);
        Assert.Contains("otel/opentelemetry-collector-contrib:0.113.0", all);
        Assert.Contains("hashicorp/vault:1.17.2", all);
    }

    [Fact]
    public void The_manifests_images_are_required_too_but_not_the_ones_the_lab_builds()
    {
        var manifests = Directory.GetFiles(Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests"), "*.yaml");
        var backends = new OtelLab.K3s.InCluster.InClusterBackends { DynatraceHosts = ["abc12345.live.dynatrace.com"], DatadogHosts = [] };

        var all = K3sPreflight.RequiredImages(Payments().WithManifests(manifests).Configuration);
        var withBackends = K3sPreflight.RequiredImages(Payments().WithManifests(manifests).WithInClusterBackends(backends).Configuration);

        Assert.Contains("otel-lab/checkout:1.0.0", K3sPreflight.ManifestImages(Payments().WithManifests(manifests).Configuration));
        Assert.DoesNotContain(all, i => i.StartsWith("otel-lab/", StringComparison.Ordinal)); // built, not pulled
        Assert.Contains("ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-java:2.6.0", all);
        Assert.Contains("lab/trace-sender:1", all); // sim-only: named missing, as it is
        Assert.Equal([.. all, "alpine/socat:1.8.0.1"], withBackends);
    }

    [Fact]
    public void The_builds_dockerfiles_and_contexts_are_checked_in_the_repository_the_lab_runs_from()
    {
        using var clone = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(clone.Path, "SampleServices", "checkout"));
        File.WriteAllText(Path.Combine(clone.Path, "SampleServices", "checkout", "Dockerfile"), "FROM eclipse-temurin:17.0.13_11-jre\n");
        var manifests = Directory.GetFiles(Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests"), "*.yaml");

        var problems = K3sPreflight.BuildProblems(Payments().WithManifests(manifests).WithRepository(clone.Path).Configuration).ToList();
        var complete = K3sPreflight.BuildProblems(Payments().WithManifests(manifests).WithRepository(RepoPaths.Root).Configuration);

        Assert.Equal(
        [
            $"{Path.Combine(clone.Path, "SampleServices", "payments", "Dockerfile")} (the Dockerfile of otel-lab/payments:1.0.0, built with the context {Path.Combine(clone.Path, "SampleServices", "payments")})",
            $"{Path.Combine(clone.Path, "SampleServices", "ledger", "Dockerfile")} (the Dockerfile of otel-lab/ledger:1.0.0, built with the context {Path.Combine(clone.Path, "SampleServices", "ledger")})",
        ], problems.Select(p => p.Missing));
        Assert.Equal("restore it from the repository (git checkout -- SampleServices/payments/Dockerfile), or docker save the image into --images", problems[0].Fix);
        Assert.Empty(complete);
        Assert.Equal(["eclipse-temurin:17.0.13_11-jre"], K3sPreflight.BaseImages(Payments().WithManifests(manifests).WithRepository(clone.Path).Configuration));
    }

    [Fact]
    public void The_air_gap_preparation_carries_the_builds_base_images_not_the_built_images()
    {
        var lines = K3sPreflight.AirGapPreparation(ScenarioLoader.Load(RepoPaths.Scenario("payments-fixed")).Install, RepoPaths.Root);

        var bases = Assert.Single(lines, l => l.Contains("base-images.tar", StringComparison.Ordinal));
        Assert.StartsWith("docker pull each of eclipse-temurin:17.0.13_11-jdk eclipse-temurin:17.0.13_11-jre python:3.11.10-slim node:20.18.1-slim mcr.microsoft.com/dotnet/sdk:10.0 mcr.microsoft.com/dotnet/aspnet:10.0,", bases, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.StartsWith("docker build", StringComparison.Ordinal));
    }

    [Fact]
    public void A_charts_folder_is_checked_for_each_releases_tarball()
    {
        using var charts = new TempDirectory();
        File.WriteAllBytes(Path.Combine(charts.Path, "vault-0.28.1.tgz"), [0]);

        var problems = K3sPreflight.ChartProblems(Payments().WithChartsDirectory(charts.Path).Configuration).ToList();

        Assert.Equal([$"in --charts {charts.Path}: cert-manager-v1.15.3.tgz", $"in --charts {charts.Path}: opentelemetry-operator-0.74.2.tgz"], problems.Select(p => p.Missing));
        Assert.Equal($"helm repo add jetstack https://charts.jetstack.io; helm pull jetstack/cert-manager --version v1.15.3 -d {charts.Path}", problems[0].Fix);
    }

    [Fact]
    public async Task The_k3s_test_attribute_skips_naming_what_the_preflight_finds_missing_with_or_without_LAB_K3S()
    {
        // Given the preflight on a machine without an engine
        using var dir = new TempDirectory();
        var probe = new DockerEngineProbe($"unix://{Path.Combine(dir.Path, "docker.sock")}");
        var problems = await K3sPreflight.CheckAsync(Payments().Configuration, probe, TestContext.Current.CancellationToken);

        // When the k3s tests' attribute words its skip reason
        var notOptedIn = K3sFactAttribute.SkipReasonFor(optedIn: false, problems);
        var optedIn = K3sFactAttribute.SkipReasonFor(optedIn: true, problems);

        // Then both name the missing engine and its fix; only an opted-in machine where nothing is missing runs them
        Assert.StartsWith("k3s tests run with LAB_K3S=1 (README: the k3s substrate); k3s cannot start here either: missing a Docker engine (DOCKER_HOST=", notOptedIn, StringComparison.Ordinal);
        Assert.StartsWith("LAB_K3S=1 but k3s cannot start here: missing a Docker engine (DOCKER_HOST=", optedIn, StringComparison.Ordinal);
        Assert.All(new[] { notOptedIn, optedIn }, r => Assert.Contains("apt-get install docker.io", r, StringComparison.Ordinal));
        Assert.Null(K3sFactAttribute.SkipReasonFor(optedIn: true, []));
        Assert.Equal("k3s tests run with LAB_K3S=1 (README: the k3s substrate); k3s could start here", K3sFactAttribute.SkipReasonFor(optedIn: false, []));
    }
}
