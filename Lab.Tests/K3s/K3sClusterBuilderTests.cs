using System.Reflection;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Configurations;
using OtelLab.K3s;
using OtelLab.Model.Install;
using OtelLab.Scenarios.Definition;
using OtelLab.Tests.Support;
using Testcontainers.K3s;

namespace OtelLab.Tests.K3s;

/// <summary>The k3s module's configuration, built without a Docker engine: image, flags, files it puts into k3s.</summary>
[Trait("Category", "Unit")]
public sealed class K3sClusterBuilderTests
{
    private static InstallSpec PaymentsInstall => ScenarioLoader.Load(RepoPaths.Scenario("payments-fixed")).Install;

    [Fact]
    public void The_defaults_are_the_pinned_k3s_image_without_traefik()
    {
        var configuration = new K3sClusterBuilder().Configuration;

        Assert.Equal("rancher/k3s:v1.31.2-k3s1", configuration.Image);
        Assert.Equal(["--disable=traefik"], configuration.ServerFlags);
        Assert.Equal(6443, K3sClusterConfiguration.ApiServerPort);
        Assert.Equal("Node controller sync successful", K3sClusterConfiguration.ReadyLogLine);
        Assert.Null(configuration.ImagesDirectory);
        Assert.Null(configuration.ChartsDirectory);
    }

    [Fact]
    public void Each_with_returns_a_new_builder_and_leaves_the_old_one_as_it_was()
    {
        var first = new K3sClusterBuilder();

        var second = first.WithServerFlags("--disable=metrics-server", "--disable=traefik").WithImage("rancher/k3s:v1.30.6-k3s1");

        Assert.Equal(["--disable=traefik"], first.Configuration.ServerFlags);
        Assert.Equal(["--disable=traefik", "--disable=metrics-server"], second.Configuration.ServerFlags);
        Assert.Equal(LabImages.K3s, first.Configuration.Image);
        Assert.Equal("rancher/k3s:v1.30.6-k3s1", second.Configuration.Image);
    }

    [Theory]
    [InlineData("rancher/k3s", "must be pinned as repository:tag")]
    [InlineData("", "must be pinned as repository:tag")]
    public void An_unpinned_image_is_refused(string image, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => new K3sClusterBuilder().WithImage(image).Build()).Message, StringComparison.Ordinal);

    [Fact]
    public void A_charts_folder_without_a_releases_tarball_names_the_helm_pull_that_makes_it()
    {
        using var charts = new TempDirectory();
        File.WriteAllBytes(Path.Combine(charts.Path, "cert-manager-v1.15.3.tgz"), [1]);

        var e = Assert.Throws<ArgumentException>(() => new K3sClusterBuilder().WithInstall(PaymentsInstall).WithChartsDirectory(charts.Path).Build());

        Assert.Equal($"--charts {charts.Path}: opentelemetry-operator-0.74.2.tgz is missing; run: helm pull open-telemetry/opentelemetry-operator --version 0.74.2 -d {charts.Path}", e.Message);
    }

    [Fact]
    public void The_cluster_gets_helmchart_crs_in_release_order_then_manifests_and_image_tarballs_in_their_folders()
    {
        using var images = new TempDirectory();
        File.WriteAllBytes(Path.Combine(images.Path, "lab-images.tar"), [0]);
        File.WriteAllBytes(Path.Combine(images.Path, "k3s-airgap-images-amd64.tar.zst"), [0]);
        File.WriteAllText(Path.Combine(images.Path, "notes.txt"), "not an image");
        var manifest = Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests", "00-namespaces.yaml");

        var cluster = new K3sClusterBuilder().WithInstall(PaymentsInstall).WithImagesDirectory(images.Path).WithManifests([manifest]).Build();

        Assert.Equal(
        [
            "/var/lib/rancher/k3s/server/manifests/lab-00-helmchart-cert-manager.yaml",
            "/var/lib/rancher/k3s/server/manifests/lab-01-helmchart-opentelemetry-operator.yaml",
            "/var/lib/rancher/k3s/server/manifests/lab-02-helmchart-vault.yaml",
            "/var/lib/rancher/k3s/server/manifests/lab-50-00-namespaces.yaml",
            "/var/lib/rancher/k3s/agent/images/k3s-airgap-images-amd64.tar.zst",
            "/var/lib/rancher/k3s/agent/images/lab-images.tar",
        ], cluster.Files().Select(f => f.ContainerPath));
        Assert.Equal(manifest, cluster.Files()[3].HostPath);
        Assert.StartsWith("apiVersion: helm.cattle.io/v1\nkind: HelmChart\n", cluster.Files()[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_testcontainers_container_runs_the_pinned_image_privileged_with_the_flags_files_wait_and_loopback_ports()
    {
        // Given a cluster with an extra server flag and the payments-fixed install
        var cluster = new K3sClusterBuilder().WithInstall(PaymentsInstall).WithServerFlags("--disable=metrics-server").Build();

        // When its Testcontainers.K3s container is configured (nothing is started: no engine is needed)
        var container = ContainerConfiguration(cluster.ContainerBuilder());

        // Then it is Testcontainers.K3s's k3s server with our flag appended, the pinned image, privileged, 6443 published,
        // waiting on k3s's ready log line, with the HelmChart CRs mapped into the auto-deploy folder
        Assert.Equal("rancher/k3s:v1.31.2-k3s1", container.Image.FullName);
        Assert.Equal(["server", "--disable=traefik", "--disable=metrics-server"], container.Command);
        Assert.True(container.Privileged);
        Assert.Contains(container.PortBindings.Keys, p => p.StartsWith("6443", StringComparison.Ordinal));
        Assert.Contains(container.WaitStrategies, w => FieldTexts(w, depth: 3).Any(t => t.Contains(K3sClusterConfiguration.ReadyLogLine, StringComparison.Ordinal)));
        Assert.Equal(cluster.Files().Select(f => f.ContainerPath).Order(StringComparer.Ordinal),
            container.ResourceMappings.Select(m => m.Target).Order(StringComparer.Ordinal));

        // And every published port binds 127.0.0.1 once Testcontainers has turned the bindings into create parameters
        // (its ContainerConfigurationConverter binds IPAddress.Any, then runs the create-parameter modifiers)
        var parameters = new CreateContainerParameters
        {
            HostConfig = new HostConfig
            {
                PortBindings = container.PortBindings.ToDictionary(
                    p => p.Key.Contains('/', StringComparison.Ordinal) ? p.Key : p.Key + "/tcp",
                    p => (IList<PortBinding>)[new PortBinding { HostIP = "0.0.0.0", HostPort = p.Value }]),
            },
        };
        foreach (var modify in container.ParameterModifiers)
        {
            modify(parameters);
        }

        Assert.Equal(container.PortBindings.Count, parameters.HostConfig.PortBindings.Count);
        Assert.All(parameters.HostConfig.PortBindings.Values.SelectMany(b => b), b => Assert.Equal("127.0.0.1", b.HostIP));
    }

    // Testcontainers' wait strategies keep their log pattern in private fields (a Regex in UntilMessageIsLogged)
    private static IEnumerable<string> FieldTexts(object? value, int depth) => value switch
    {
        null => [],
        string text => [text],
        System.Text.RegularExpressions.Regex regex => [regex.ToString()],
        _ when depth == 0 || value.GetType().IsPrimitive => [],
        System.Collections.IEnumerable items => items.Cast<object?>().SelectMany(i => FieldTexts(i, depth - 1)),
        _ => value.GetType().GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public).SelectMany(f => FieldTexts(f.GetValue(value), depth - 1)),
    };

    // The builder keeps its configuration to itself (Testcontainers' module pattern: only Build() reads it).
    private static IContainerConfiguration ContainerConfiguration(K3sBuilder builder) =>
        (IContainerConfiguration)typeof(K3sBuilder).GetProperty("DockerResourceConfiguration", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)!.GetValue(builder)!;
}
