using System.Formats.Tar;
using System.Text.Json;
using System.Text.RegularExpressions;
using OtelLab.Model.Install;

namespace OtelLab.K3s;

/// <summary>
/// What <c>--cluster k3s</c> needs before anything starts, checked on this machine: the Docker engine and the k3s
/// image in it; with <c>--images DIR</c> every image the install runs (read from each <c>docker save</c> tarball's
/// manifest.json) and k3s's own air-gap images; with <c>--charts DIR</c> every release's chart tarball.
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
        return problems;
    }

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
    /// The images k3s's containerd needs: the install's (<see cref="LabImages.For"/>) and every <c>image:</c> the
    /// manifests name (the sample services' are built from this repository's Dockerfiles).
    /// </summary>
    public static IReadOnlyList<string> RequiredImages(K3sClusterConfiguration configuration) =>
        LabImages.For(configuration.Install)
            .Concat(configuration.Manifests.Where(File.Exists).SelectMany(f => ImageLine().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value.Trim('"', '\''))))
            .Distinct(StringComparer.Ordinal)
            .ToList();

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
    public static IReadOnlyList<string> AirGapPreparation(InstallSpec install)
    {
        var images = LabImages.For(install);
        var lines = new List<string>
        {
            $"docker pull {LabImages.K3s} && docker save {LabImages.K3s} -o k3s.tar   # then on the lab machine: docker load -i k3s.tar",
            $"for i in {string.Join(' ', images)}; do docker pull $i; done",
            $"docker save {string.Join(' ', images)} -o images/lab-images.tar",
            $"cp {LabImages.K3sAirgapImages} images/   # from the k3s release of {LabImages.K3s}",
        };
        foreach (var image in LabImages.Built)
        {
            var service = image.Split('/')[1].Split(':')[0];
            lines.Add($"docker build -t {image} SampleServices/{service} && docker save {image} -o images/{service}.tar");
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
