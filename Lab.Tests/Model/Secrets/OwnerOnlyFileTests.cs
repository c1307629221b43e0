using OtelLab.Model.Secrets;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Model.Secrets;

/// <summary>A credentials file (a kubeconfig, generated tokens) is the owner's alone, new or rewritten.</summary>
[Trait("Category", "Unit")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OwnerOnlyFileTests
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task A_new_file_is_created_owner_only_with_the_text_and_no_byte_order_mark()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "kubeconfig");

        await OwnerOnlyFile.WriteAllTextAsync(path, "apiVersion: v1\n", TestContext.Current.CancellationToken);

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path));
        Assert.Equal("apiVersion: v1\n"u8.ToArray(), await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_existing_world_readable_file_is_tightened_and_replaced()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "kubeconfig");
        await File.WriteAllTextAsync(path, "an older and longer kubeconfig\n", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(path, OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await OwnerOnlyFile.WriteAllTextAsync(path, "new\n", TestContext.Current.CancellationToken);

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path));
        Assert.Equal("new\n", await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
    }
}
