namespace OtelLab.K3s;

/// <summary>
/// An image the lab builds from this repository instead of pulling: its tag, the build context and the Dockerfile
/// inside it (both relative to the repository root), and the build arguments.
/// </summary>
public sealed record LabImageBuild(string Tag, string ContextDirectory, string Dockerfile, IReadOnlyDictionary<string, string> BuildArguments)
{
    /// <summary>The Dockerfile's path relative to the repository root.</summary>
    public string DockerfilePath => Path.Combine(ContextDirectory, Dockerfile);
}
