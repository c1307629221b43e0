using System.Formats.Tar;
using System.Text;
using OtelLab.K3s;
using OtelLab.K3s.InCluster;
using OtelLab.K3s.Internal;
using OtelLab.Scenarios.Definition;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.K3s;

/// <summary>The images the lab builds for k3s: which, from which Dockerfiles, and where their tarball goes.</summary>
[Trait("Category", "Unit")]
public sealed class AirgapImagePlanTests
{
    private static readonly InClusterBackends Backends = new() { DynatraceHosts = ["abc12345.live.dynatrace.com"], DatadogHosts = ["api.datadoghq.com"] };

    private static string[] PaymentsFixedManifests => Directory.GetFiles(Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests"), "*.yaml");

    private static K3sClusterBuilder PaymentsFixed() =>
        new K3sClusterBuilder().WithInstall(ScenarioLoader.Load(RepoPaths.Scenario("payments-fixed")).Install).WithRepository(RepoPaths.Root).WithManifests(PaymentsFixedManifests);

    [Fact]
    public void Every_built_image_has_its_dockerfile_and_context_in_the_repository()
    {
        Assert.Equal(["otel-lab/checkout:1.0.0", "otel-lab/payments:1.0.0", "otel-lab/ledger:1.0.0", "otel-lab/backends:1.0.0"], LabImages.Builds.Select(b => b.Tag));
        Assert.All(LabImages.Builds, b =>
        {
            Assert.True(Directory.Exists(Path.Combine(RepoPaths.Root, b.ContextDirectory)), b.ContextDirectory);
            Assert.True(File.Exists(Path.Combine(RepoPaths.Root, b.DockerfilePath)), b.DockerfilePath);
            Assert.Empty(b.BuildArguments);
        });
        Assert.Equal(Path.Combine("SampleServices", "checkout", "Dockerfile"), LabImages.Builds[0].DockerfilePath);
        var backends = LabImages.Builds[3];
        Assert.Equal(".", backends.ContextDirectory); // it publishes the AppHost: the whole repository is its context
        Assert.Equal(Path.Combine("src", "Lab.K3s", "InCluster", "Dockerfile.backends"), backends.Dockerfile);
    }

    [Fact]
    public void The_testcontainers_builder_gets_the_tag_context_and_dockerfile_of_each_build()
    {
        // Given the backends build, whose Dockerfile is not at its context's top
        var build = LabImages.Builds.Single(b => b.Tag == LabImages.Backends) with { BuildArguments = new Dictionary<string, string> { ["CONFIGURATION"] = "Release" } };

        // When its Testcontainers builder is configured (nothing contacts an engine before Build/CreateAsync)
        var builder = LabImageBuilds.Builder(build, RepoPaths.Root);

        // Then its configuration names exactly that build
        var configuration = typeof(DotNet.Testcontainers.Builders.ImageFromDockerfileBuilder)
            .GetProperties(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)
            .Where(p => p.Name == "DockerResourceConfiguration").Select(p => p.GetValue(builder))
            .OfType<DotNet.Testcontainers.Configurations.IImageFromDockerfileConfiguration>().First();
        Assert.Equal("otel-lab/backends:1.0.0", configuration.Image.FullName);
        Assert.Equal(Path.GetFullPath(RepoPaths.Root), Path.GetFullPath(configuration.DockerfileDirectory));
        Assert.Equal(Path.GetFullPath(RepoPaths.Root), Path.GetFullPath(configuration.ContextDirectory));
        Assert.Equal("src/Lab.K3s/InCluster/Dockerfile.backends", configuration.Dockerfile);
        Assert.Equal("Release", configuration.BuildArguments["CONFIGURATION"]);
        Assert.False(configuration.DeleteIfExists);
    }

    [Fact]
    public void The_base_images_are_each_dockerfiles_from_lines_without_its_own_stages()
    {
        Assert.Equal(["eclipse-temurin:17.0.13_11-jdk", "eclipse-temurin:17.0.13_11-jre"], DockerfileBaseImages.Of(File.ReadAllText(Path.Combine(RepoPaths.Root, "SampleServices", "checkout", "Dockerfile"))));
        Assert.Equal(["mcr.microsoft.com/dotnet/sdk:10.0", "mcr.microsoft.com/dotnet/aspnet:10.0"], DockerfileBaseImages.Of(File.ReadAllText(Path.Combine(RepoPaths.Root, LabImages.Builds[3].DockerfilePath))));
        Assert.Equal(["alpine:3.20"], DockerfileBaseImages.Of("FROM --platform=linux/amd64 alpine:3.20 AS base\nRUN true\nfrom base as final\nFROM scratch\n"));
    }

    [Fact]
    public void Payments_fixed_builds_the_three_sample_services_its_manifests_name_and_the_backends_when_deployed()
    {
        var without = AirgapImagePlan.For(PaymentsFixed().Configuration);
        var with = AirgapImagePlan.For(PaymentsFixed().WithInClusterBackends(Backends).Configuration);

        Assert.Equal(["otel-lab/checkout:1.0.0", "otel-lab/payments:1.0.0", "otel-lab/ledger:1.0.0"], without.Tags);
        Assert.Equal([.. without.Tags, LabImages.Backends], with.Tags);
        Assert.Equal("/var/lib/rancher/k3s/agent/images/otel-lab-built-images.tar", with.ContainerPath);
        Assert.Empty(AirgapImagePlan.For(new K3sClusterBuilder().Configuration).Builds); // nothing named, nothing built
    }

    [Fact]
    public void An_image_already_in_the_images_folder_is_not_built_again()
    {
        using var images = new TempDirectory();
        using (var tar = new TarWriter(File.Create(Path.Combine(images.Path, "ledger.tar"))))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "manifest.json") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes("[{\"RepoTags\":[\"otel-lab/ledger:1.0.0\"]}]")) });
        }

        var plan = AirgapImagePlan.For(PaymentsFixed().WithImagesDirectory(images.Path).Configuration);

        Assert.DoesNotContain("otel-lab/ledger:1.0.0", plan.Tags);
        Assert.Equal(2, plan.Tags.Count);
    }

    [Fact]
    public void The_built_tarball_is_put_into_the_air_gap_import_folder_beside_the_images_folders_tarballs()
    {
        var cluster = PaymentsFixed().WithInClusterBackends(Backends).Build();

        var file = Assert.Single(cluster.Files(), f => f.ContainerPath.StartsWith(K3sClusterConfiguration.AirgapImagesFolder, StringComparison.Ordinal));
        Assert.Equal("/var/lib/rancher/k3s/agent/images/otel-lab-built-images.tar", file.ContainerPath);
        Assert.Equal(cluster.BuiltImagesTarball, file.HostPath);
        Assert.EndsWith(Path.Combine("otel-lab-built-images.tar"), cluster.BuiltImagesTarball, StringComparison.Ordinal);
    }

    [Fact]
    public void Building_without_the_repository_is_refused_naming_the_images_and_the_fix()
    {
        var e = Assert.Throws<ArgumentException>(() => PaymentsFixed().WithRepository(null).Build());

        Assert.StartsWith("the images otel-lab/", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("are built from this repository, but no repository was given (WithRepository); run the lab from a clone of the repository, or put the images in --images", e.Message, StringComparison.Ordinal);
    }
}
