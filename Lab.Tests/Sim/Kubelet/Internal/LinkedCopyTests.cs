using OtelLab.Sim.Kubelet.Internal;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Kubelet.Internal;

/// <summary>The kubelet links (cp -rl) an agent image's files into the pod volume when it can, and only then.</summary>
[Trait("Category", "Unit")]
public sealed class LinkedCopyTests
{
    [Fact]
    public void The_operators_recursive_copy_from_image_files_links_them_into_the_volume()
    {
        // Given an agent image folder and a pod volume folder on the same filesystem
        using var temp = new TempDirectory();
        var image = Directory.CreateDirectory(Path.Combine(temp.Path, "image", "autoinstrumentation")).FullName;
        File.WriteAllText(Path.Combine(image, "autoinstrumentation.js"), "// agent");
        var volume = Directory.CreateDirectory(Path.Combine(temp.Path, "pod")).FullName;
        var files = new Dictionary<string, string> { ["/autoinstrumentation"] = image };

        // When the operator's init command is mapped
        var command = LinkedCopy.Apply(["cp", "-r", image + "/.", Path.Combine(volume, "otel")], files, volume);

        // Then it is the same copy with hard links
        Assert.Equal(["cp", "-l", "-r", image + "/.", Path.Combine(volume, "otel")], command);
    }

    [Theory]
    [InlineData("cp", "/elsewhere/.")] // not the image's files
    [InlineData("mv", "IMAGE/.")] // not a copy
    public void Other_commands_run_unchanged(string program, string source)
    {
        using var temp = new TempDirectory();
        var image = Directory.CreateDirectory(Path.Combine(temp.Path, "image")).FullName;
        File.WriteAllText(Path.Combine(image, "agent.jar"), "jar");
        var files = new Dictionary<string, string> { ["/javaagent.jar"] = image };
        List<string> command = [program, "-r", source.Replace("IMAGE", image, StringComparison.Ordinal), Path.Combine(temp.Path, "pod")];

        Assert.Equal(command, LinkedCopy.Apply(command, files, temp.Path));
    }

    [Fact]
    public void A_copy_that_is_not_recursive_runs_unchanged()
    {
        using var temp = new TempDirectory();
        var jar = Path.Combine(temp.Path, "javaagent.jar");
        File.WriteAllText(jar, "jar");
        List<string> command = ["cp", jar, Path.Combine(temp.Path, "pod", "javaagent.jar")];

        Assert.Equal(command, LinkedCopy.Apply(command, new Dictionary<string, string> { ["/javaagent.jar"] = jar }, temp.Path));
    }
}
