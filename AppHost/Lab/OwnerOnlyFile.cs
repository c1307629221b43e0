using System.Text;

namespace OtelLab.AppHost.Lab;

/// <summary>
/// A file that holds credentials (a cluster's admin kubeconfig, the mock backends' generated tokens): readable and
/// writable by its owner only from the moment its first byte is written, never world-readable for a moment under the
/// process's umask; UTF-8 without a byte-order mark, so shells and kubectl read its first line as written.
/// </summary>
internal static class OwnerOnlyFile
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static async Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerReadWrite;
            if (File.Exists(path))
            {
                // UnixCreateMode applies to a new file only: tighten an existing one before the new text goes in
                File.SetUnixFileMode(path, OwnerReadWrite);
            }
        }

        var writer = new StreamWriter(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
        }
    }
}
