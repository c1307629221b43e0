using OtelLab.K3s.InCluster;
using OtelLab.Model.Install;

namespace OtelLab.K3s;

/// <summary>Everything a <see cref="K3sCluster"/> is started with; built only through <see cref="K3sClusterBuilder"/>.</summary>
public sealed record K3sClusterConfiguration
{
    /// <summary>The k3s API server's port inside the container (mapped to a random host port on 127.0.0.1).</summary>
    public const int ApiServerPort = 6443;

    /// <summary>Where k3s imports image tarballs from at start (k3s docs, air-gap install: "agent/images").</summary>
    public const string AirgapImagesFolder = "/var/lib/rancher/k3s/agent/images/";

    /// <summary>Where k3s's deploy controller applies manifests from, HelmChart CRs included (k3s docs, auto-deploying manifests).</summary>
    public const string AutoDeployFolder = "/var/lib/rancher/k3s/server/manifests/";

    /// <summary>
    /// The log line Testcontainers.K3s waits for ("Node controller sync successful"): the node is registered and
    /// the API serves. The releases' install jobs run after it; <see cref="K3sCluster.WaitForReleasesAsync"/> waits for them.
    /// </summary>
    public const string ReadyLogLine = "Node controller sync successful";

    public string Image { get; init; } = LabImages.K3s;

    /// <summary><c>k3s server</c> flags. traefik is off: the lab exposes nothing through an ingress.</summary>
    public IReadOnlyList<string> ServerFlags { get; init; } = ["--disable=traefik"];

    public InstallSpec Install { get; init; } = InstallSpec.None;

    /// <summary>Folder of <c>helm pull</c> tarballs (<c>NAME-VERSION.tgz</c>) for air-gapped machines; null pulls from the repos.</summary>
    public string? ChartsDirectory { get; init; }

    /// <summary>Folder of <c>docker save</c> tarballs copied into k3s's air-gap import folder; null pulls from registries.</summary>
    public string? ImagesDirectory { get; init; }

    /// <summary>Manifest files applied after the install (k3s's deploy controller retries until the CRDs exist).</summary>
    public IReadOnlyList<string> Manifests { get; init; } = [];

    /// <summary>
    /// The repository the lab builds its images from (<see cref="LabImages.Builds"/>: contexts and Dockerfiles); null
    /// when the run needs no built image.
    /// </summary>
    public string? RepositoryRoot { get; init; }

    /// <summary>The mock backends to deploy into the cluster, with the vendor hosts they answer for; null for none.</summary>
    public InClusterBackends? Backends { get; init; }
}
