using System.Formats.Tar;
using System.Text.Json;
using System.Text.RegularExpressions;
using OtelLab.K3s.Internal;
using OtelLab.Model.Install;

namespace OtelLab.K3s;

/// <summary>
/// What <c>--cluster k3s</c> needs before anything starts, checked on this machine: the Docker engine and the k3s
/// image in it; with <c>--images DIR</c> every image the install runs (read from each <c>docker save</c> tarball's
/// manifest.json) and k3s's own air-gap images; with <c>--charts DIR</c> every release's chart tarball; for the
/// images the lab builds (<see cref="AirgapImagePlan"/>), their Dockerfiles and build contexts, and on an air-gapped
/// run their base images in the engine (the build runs there, not in k3s).
/// </summary>
public static partial class K3sPreflight
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    public static async Task<IReadOnlyList<K3sProblem>> CheckAsync(K3sClusterConfiguration configuration, DockerEngineProbe engine, CancellationToken cancellationToken)
    {
        var problems = new List<K3sProblem>();
        if (!await engine.IsReachableAsync(ProbeTimeout, cancellationToken).ConfigureAwait(false))
        {
            problems.Add(new($"a Docker engine ({engine.Describe()})",
                "install and start one (Debian: apt-get install docker.io; dockerd &), then export DOCKER_API_VERSION=1.41 " +
                "TESTCONTAINERS_RYUK_DISABLED=true (Debian's engine 20.10 speaks API 1.41; Ryuk's image would need a registry)"));
        }
        else if (!await engine.HasImageAsync(configuration.Image, ProbeTimeout, cancellationToken).ConfigureAwait(false))
        {
            problems.Add(new($"the image {configuration.Image} in the Docker engine",
                $"docker pull {configuration.Image}; without a registry: docker save {configuration.Image} -o k3s.tar where one is reachable, then docker load -i k3s.tar here"));
        }

        problems.AddRange(ImageProblems(configuration));
        problems.AddRange(ChartProblems(configuration));
        problems.AddRange(BuildProblems(configuration));
        if (configuration.ImagesDirectory is not null && problems.Count == 0)
        {
            // air-gapped: the engine cannot pull what the builds start from
            foreach (var image in BaseImages(configuration))
            {
                if (!await engine.HasImageAsync(image, ProbeTimeout, cancellationToken).ConfigureAwait(false))
                {
                    problems.Add(new($"the base image {image} in the Docker engine (the lab builds {string.Join(", ", AirgapImagePlan.For(configuration).Tags)} from it)",
                        $"where a registry is reachable: docker pull {image} && docker save {image} -o base.tar; here: docker load -i base.tar"));
                }
            }
        }

        return problems;
    }

    /// <summary>The builds' Dockerfiles and contexts missing from the repository the lab runs from.</summary>
    public static IEnumerable<K3sProblem> BuildProblems(K3sClusterConfiguration configuration)
    {
        var plan = AirgapImagePlan.For(configuration);
        foreach (var build in plan.Builds)
        {
            if (configuration.RepositoryRoot is not { } root)
            {
                yield return new($"the repository to build {build.Tag} from ({build.DockerfilePath})", "run the lab from a clone of the repository, or docker save the image into --images");
            }
            else if (!Directory.Exists(Path.Combine(root, build.ContextDirectory)) || !File.Exists(Path.Combine(root, build.DockerfilePath)))
            {
                yield return new($"{Path.Combine(root, build.DockerfilePath)} (the Dockerfile of {build.Tag}, built with the context {Path.Combine(root, build.ContextDirectory)})",
                    "restore it from the repository (git checkout -- " + build.DockerfilePath.Replace('\\', '/') + "), or docker save the image into --images");
            }
        }
    }

    /// <summary>The images the builds start from (their Dockerfiles' FROM lines): pulled by the engine, or loaded into it air-gapped.</summary>
    public static IReadOnlyList<string> BaseImages(K3sClusterConfiguration configuration) =>
        configuration.RepositoryRoot is not { } root
            ? []
            : AirgapImagePlan.For(configuration).Builds
                .Select(b => Path.Combine(root, b.DockerfilePath))
                .Where(File.Exists)
                .SelectMany(f => DockerfileBaseImages.Of(File.ReadAllText(f)))
                .Distinct(StringComparer.Ordinal)
                .ToList();

    /// <summary>The images a scenario's install needs in k3s's containerd, missing from <c>--images DIR</c>.</summary>
    public static IEnumerable<K3sProblem> ImageProblems(K3sClusterConfiguration configuration)
    {
        if (configuration.ImagesDirectory is not { } dir)
        {
            yield break; // k3s pulls from the registries
        }

        if (!Directory.Exists(dir))
        {
            yield return new($"--images {dir} (no such folder)", "create it and put the docker save tarballs listed in README (k3s: air-gapped run) in it");
            yield break;
        }

        var saved = SavedImages(dir);
        var missing = RequiredImages(configuration).Where(i => !saved.Contains(i)).ToList();
        if (missing.Count > 0)
        {
            yield return new($"in --images {dir}: {string.Join(", ", missing)}",
                $"where a registry is reachable: docker pull each, then docker save {string.Join(' ', missing)} -o {Path.Combine(dir, "lab-images.tar")}");
        }

        if (!Directory.EnumerateFiles(dir, "k3s-airgap-images-*").Any())
        {
            yield return new($"in --images {dir}: {LabImages.K3sAirgapImages} (k3s's own images: coredns, pause, klipper-helm for the HelmChart jobs)",
                $"download {LabImages.K3sAirgapImages} from the k3s release {LabImages.K3s.Split(':')[1].Replace("-k3s", "+k3s", StringComparison.Ordinal)} and put it in {dir}");
        }
    }

    /// <summary>
    /// The images k3s's containerd needs from <c>--images</c>: the install's (<see cref="LabImages.For"/>), every
    /// <c>image:</c> the manifests name and the backends' sidecar when they are deployed, less the images the lab
    /// builds from this repository (<see cref="LabImages.Builds"/>: checked by <see cref="BuildProblems"/>).
    /// </summary>
    public static IReadOnlyList<string> RequiredImages(K3sClusterConfiguration configuration) =>
        LabImages.For(configuration.Install)
            .Concat(ManifestImages(configuration))
            .Concat(configuration.Backends is null ? [] : [LabImages.Socat])
            .Where(i => LabImages.Builds.All(b => b.Tag != i))
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>Every <c>image:</c> the configuration's manifest files name.</summary>
    public static IEnumerable<string> ManifestImages(K3sClusterConfiguration configuration) =>
        configuration.Manifests.Where(File.Exists).SelectMany(f => ImageLine().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value.Trim('"', '\'')));

    [GeneratedRegex(@"^\s*-?\s*image:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ImageLine();

    /// <summary>The declared releases whose chart tarball <c>--charts DIR</c> lacks.</summary>
    public static IEnumerable<K3sProblem> ChartProblems(K3sClusterConfiguration configuration)
    {
        if (configuration.ChartsDirectory is not { } dir)
        {
            yield break; // the helm-controller pulls from the chart repositories
        }

        foreach (var release in configuration.Install.Releases)
        {
            var tarball = K3sClusterBuilder.ChartTarballName(release);
            if (!File.Exists(Path.Combine(dir, tarball)))
            {
                yield return new($"in --charts {dir}: {tarball}", $"helm repo add {release.Chart.Split('/')[0]} {release.Repo}; helm pull {release.Chart} --version {release.Version} -d {dir}");
            }
        }
    }

    /// <summary>The commands that prepare an air-gapped run of the install (for messages and the README).</summary>
    public static IReadOnlyList<string> AirGapPreparation(InstallSpec install, string? repositoryRoot = null)
    {
        var images = LabImages.For(install).Append(LabImages.Socat).ToList(); // the in-cluster backends' TLS sidecars
        var lines = new List<string>
        {
            $"docker pull {LabImages.K3s} && docker save {LabImages.K3s} -o k3s.tar   # then on the lab machine: docker load -i k3s.tar",
            $"for i in {string.Join(' ', images)}; do docker pull $i; done",
            $"docker save {string.Join(' ', images)} -o images/lab-images.tar",
            $"cp {LabImages.K3sAirgapImages} images/   # from the k3s release of {LabImages.K3s}",
        };
        // The lab builds its own images in the engine (sample services, backends): only their base images travel.
        var bases = repositoryRoot is null
            ? []
            : LabImages.Builds.Select(b => Path.Combine(repositoryRoot, b.DockerfilePath)).Where(File.Exists)
                .SelectMany(f => DockerfileBaseImages.Of(File.ReadAllText(f))).Distinct(StringComparer.Ordinal).ToList();
        if (bases.Count > 0)
        {
            lines.Add($"docker pull each of {string.Join(' ', bases)}, then docker save them -o base-images.tar   # lab machine: docker load -i base-images.tar (the lab builds {string.Join(", ", LabImages.Builds.Select(b => b.Tag))} from them)");
        }

        foreach (var release in install.Releases)
        {
            lines.Add($"helm repo add {release.Chart.Split('/')[0]} {release.Repo} && helm pull {release.Chart} --version {release.Version} -d charts");
        }

        return lines;
    }

    /// <summary>The repo:tag names in a folder's <c>docker save</c> tarballs (uncompressed .tar: their manifest.json RepoTags).</summary>
    public static IReadOnlySet<string> SavedImages(string directory)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(directory, "*.tar"))
        {
            try
            {
                using var reader = new TarReader(File.OpenRead(file));
                while (reader.GetNextEntry() is { } entry)
                {
                    if (entry.Name is "manifest.json" && entry.DataStream is { } data)
                    {
                        using var json = JsonDocument.Parse(data);
                        foreach (var image in json.RootElement.EnumerateArray())
                        {
                            foreach (var tag in image.TryGetProperty("RepoTags", out var tags) && tags.ValueKind == JsonValueKind.Array ? tags.EnumerateArray() : default)
                            {
                                names.Add(Normalize(tag.GetString() ?? ""));
                            }
                        }

                        break;
                    }
                }
            }
            catch (Exception e) when (e is InvalidDataException or JsonException or IOException or FormatException)
            {
                // not a docker save tarball: k3s may still import it, but it names no images we can check
            }
        }

        return names;
    }

    // docker save writes Docker Hub images without "docker.io/" ("otel/…:0.113.0"); library images as "name:tag".
    private static string Normalize(string tag) => tag.StartsWith("docker.io/", StringComparison.Ordinal) ? tag["docker.io/".Length..] : tag;
}
