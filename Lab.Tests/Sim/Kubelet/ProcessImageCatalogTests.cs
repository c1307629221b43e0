using OtelLab.Sim.Kubelet;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Kubelet;

/// <summary>What keeps the sample services from running, said before any pod starts (not as a crash loop).</summary>
[Trait("Category", "Unit")]
public sealed class ProcessImageCatalogTests
{
    [Fact]
    public void Problems_name_each_missing_program_with_its_package_and_each_unbuilt_file()
    {
        // Given a catalog whose app image needs a program nobody has, a built class folder that is missing, and an
        // agent image whose installed packages are missing; and one image whose program and files are all there
        using var dir = new TempDirectory();
        dir.Write("present.txt", "x");
        dir.Write("images.json", """
            { "images": [
              { "image": "otel-lab/app:*", "command": ["no-such-program-in-the-lab", "-cp", "{out}/app/classes:{services}/present.txt"], "tool": "no-such-program-in-the-lab (apt-get install lab-runtime)" },
              { "image": "agent:*", "tool": "cp (coreutils)", "filesystem": { "/autoinstrumentation": "{services}" }, "requires": ["{services}/node_modules/.package-lock.json"] },
              { "image": "fine:*", "command": ["sh", "{services}/present.txt"] }
            ] }
            """);

        // When the catalog is asked what is wrong
        var problems = ProcessImageCatalog.Load(dir.Path).Problems();

        // Then exactly the three problems are named, with the package to install and the build that makes the files
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p == "otel-lab/app:*: no-such-program-in-the-lab is not on PATH; install no-such-program-in-the-lab (apt-get install lab-runtime)");
        Assert.Contains(problems, p => p.StartsWith($"otel-lab/app:*: {Path.Combine(dir.Path, "out")}/app/classes does not exist; build the AppHost", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith($"agent:*: {dir.Path}/node_modules/.package-lock.json does not exist", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.StartsWith("fine:", StringComparison.Ordinal));
    }

    [Fact]
    public void The_repositorys_own_catalog_has_no_problem_once_the_sample_services_are_built()
    {
        // Given the sample services built by this build (the AppHost imports their targets) on a machine with
        // java, python3 and node (the CI image installs the JDK; the tests skip elsewhere)
        var catalog = ProcessImageCatalog.Load(Path.Combine(RepoPaths.Root, "SampleServices"));
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':');
        foreach (var tool in new[] { "java", "python3", "node" })
        {
            if (!path.Any(p => File.Exists(Path.Combine(p, tool))))
            {
                Assert.Skip($"{tool} is not on PATH (.ci/install.sh installs the JDK; Node.js and Python come with the machine image)");
            }
        }

        // Then nothing keeps them from running
        Assert.Empty(catalog.Problems());
    }
}
