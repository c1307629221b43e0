using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;

namespace OtelLab.K3s;

/// <summary>
/// Builds an <see cref="AirgapImagePlan"/> in the Docker engine with Testcontainers' <see cref="ImageFromDockerfileBuilder"/>
/// and saves the images as one <c>docker save</c> tarball for k3s's air-gap import folder.
/// </summary>
public static class LabImageBuilds
{
    /// <summary>
    /// The Testcontainers image builder for one build: the context folder (its .dockerignore applies), the Dockerfile
    /// in it, the tag and the build arguments. The image is kept after the run (k3s imports it from the tarball; a
    /// later run reuses the engine's layer cache).
    /// </summary>
    public static ImageFromDockerfileBuilder Builder(LabImageBuild build, string repositoryRoot)
    {
        ArgumentNullException.ThrowIfNull(build);
        var context = Path.GetFullPath(Path.Combine(repositoryRoot, build.ContextDirectory));
        var builder = new ImageFromDockerfileBuilder()
            .WithName(build.Tag)
            .WithDockerfileDirectory(context)
            .WithContextDirectory(context)
            .WithDockerfile(build.Dockerfile.Replace('\\', '/'))
            .WithDeleteIfExists(false)
            .WithCleanUp(false);
        foreach (var (name, value) in build.BuildArguments)
        {
            builder = builder.WithBuildArgument(name, value);
        }

        return builder;
    }

    /// <summary>Builds every image of the plan, then writes them to <paramref name="tarball"/> (what <c>docker save</c> writes).</summary>
    public static async Task BuildAndSaveAsync(AirgapImagePlan plan, string repositoryRoot, string tarball, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        foreach (var build in plan.Builds)
        {
            var image = Builder(build, repositoryRoot).Build();
            try
            {
                await image.CreateAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new InvalidOperationException(
                    $"docker build of {build.Tag} from {build.DockerfilePath} failed: {e.Message} (its base images must be pulled or docker load-ed into the engine; see README, the k3s substrate)", e);
            }
        }

        using var client = TestcontainersSettings.OS.DockerEndpointAuthConfig.GetDockerClientBuilder(Guid.NewGuid()).Build();
        var saved = await client.Images.SaveImagesAsync([.. plan.Tags], cancellationToken).ConfigureAwait(false);
        await using (saved.ConfigureAwait(false))
        {
            var file = File.Create(tarball);
            await using (file.ConfigureAwait(false))
            {
                await saved.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
