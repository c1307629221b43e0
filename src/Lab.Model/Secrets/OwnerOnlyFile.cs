using System.Text;

namespace OtelLab.Model.Secrets;

/// <summary>
/// A file that holds credentials (a cluster's admin kubeconfig, the mock backends' generated tokens): readable and
/// writable by its owner only from the moment its first byte is written, never world-readable for a moment under the
/// process's umask (as kubectl writes its own kubeconfig: client-go clientcmd/loader.go WriteToFile, 0600); UTF-8
/// without a byte-order mark, so shells and kubectl read its first line as written.
/// </summary>
public static class OwnerOnlyFile
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static void WriteAllText(string path, string text)
    {
        using var file = Open(path);
        file.Write(Utf8.GetBytes(text));
    }

    public static async Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken)
    {
        var file = Open(path);
        await using (file.ConfigureAwait(false))
        {
            await file.WriteAsync(Utf8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        }
    }

    private static FileStream Open(string path)
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

        return new FileStream(path, options);
    }
}
