namespace OtelLab.Scenarios.Kubectl;

/// <summary>
/// Where kubectl 1.NN lives: the Google Cloud CLI's Debian package <c>kubectl</c> ships one binary per minor version
/// (<c>/usr/lib/google-cloud-sdk/bin/kubectl.1.27</c> … <c>kubectl.1.33</c>) and <c>/usr/bin/kubectl</c> picks one.
/// </summary>
public static class KubectlBinary
{
    /// <summary>The folder the versioned binaries are in.</summary>
    public const string Folder = "/usr/lib/google-cloud-sdk/bin";

    /// <summary>The binary of kubectl <paramref name="version"/> (<c>1.NN</c>) under <paramref name="folder"/>.</summary>
    public static string PathOf(string version, string folder = Folder) => System.IO.Path.Combine(folder, $"kubectl.{version}");

    /// <summary>The binary of kubectl <paramref name="version"/>, or an exception that names the package to install.</summary>
    public static string Find(string version, string folder = Folder)
    {
        var path = PathOf(version, folder);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"kubectl {version} is not installed ({path} does not exist): install the Debian package kubectl from the Google Cloud CLI's apt repository, " +
                "which ships kubectl.1.27 to kubectl.1.33 there, or choose an installed kubectlVersion", path);
    }
}
