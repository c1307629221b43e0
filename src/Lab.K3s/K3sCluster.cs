using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using OtelLab.K3s.InCluster;
using Testcontainers.K3s;

namespace OtelLab.K3s;

/// <summary>
/// The real substrate: k3s in a container (Testcontainers.K3s), with the scenario's Helm releases installed by k3s's
/// helm-controller and its manifests applied by k3s's deploy controller. Start it, then talk to it through
/// <see cref="GetKubeconfigAsync"/> like any cluster.
/// </summary>
public sealed class K3sCluster : IAsyncDisposable
{
    private readonly IReadOnlyList<(Model.Install.HelmRelease Release, string? Tarball)> _charts;
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "otel-lab-k3s-" + Guid.NewGuid().ToString("N"));
    private K3sContainer? _container;

    internal K3sCluster(K3sClusterConfiguration configuration, IReadOnlyList<(Model.Install.HelmRelease Release, string? Tarball)> charts, AirgapImagePlan images)
    {
        Configuration = configuration;
        _charts = charts;
        Images = images;
        Ca = configuration.Backends is { } backends ? LabCertificateAuthority.Create(backends, TimeProvider.System) : null;
    }

    /// <summary>The run's CA and the backends' certificate when the in-cluster backends are deployed.</summary>
    public LabCertificateAuthority? Ca { get; }

    public K3sClusterConfiguration Configuration { get; }

    /// <summary>The images this run builds and imports into k3s's containerd (empty when it needs none).</summary>
    public AirgapImagePlan Images { get; }

    /// <summary>Where the built images' tarball is written on the host before k3s starts.</summary>
    public string BuiltImagesTarball => Path.Combine(_scratch, AirgapImagePlan.TarballName);

    /// <summary>
    /// The files put into the container before k3s starts, by container path: HelmChart CRs and manifests into the
    /// auto-deploy folder (applied in name order, releases first), image tarballs into the air-gap import folder.
    /// </summary>
    public IReadOnlyList<K3sFile> Files()
    {
        var files = new List<K3sFile>();
        for (var i = 0; i < _charts.Count; i++)
        {
            var (release, tarball) = _charts[i];
            files.Add(new(K3sClusterConfiguration.AutoDeployFolder + HelmChartManifest.FileName(i, release),
                Text: HelmChartManifest.Render(release, tarball is null ? null : File.ReadAllBytes(tarball))));
        }

        if (Configuration.Backends is { } backends)
        {
            files.Add(new(K3sClusterConfiguration.AutoDeployFolder + "lab-40-backends.yaml", Text: InClusterBackendsManifests.Backends()));
            files.Add(new(K3sClusterConfiguration.AutoDeployFolder + "lab-41-coredns-custom.yaml", Text: InClusterBackendsManifests.CoreDnsCustom(backends)));
        }

        var collectorNamespaces = new List<string>();
        for (var i = 0; i < Configuration.Manifests.Count; i++)
        {
            var path = Configuration.Manifests[i];
            var target = $"{K3sClusterConfiguration.AutoDeployFolder}lab-{50 + i:00}-{Path.GetFileName(path)}";
            if (Configuration.Backends is not null && File.Exists(path) && File.ReadAllText(path) is var yaml && CollectorTrust.Patch(yaml, path) is { } patched)
            {
                collectorNamespaces.AddRange(CollectorTrust.CollectorNamespaces(yaml));
                files.Add(new(target, Text: patched));
            }
            else
            {
                files.Add(new(target, HostPath: path));
            }
        }

        if (Ca is not null && collectorNamespaces.Count > 0)
        {
            // after the manifests: their namespaces exist by then (the deploy controller retries until they do)
            files.Add(new(K3sClusterConfiguration.AutoDeployFolder + "lab-90-otel-lab-ca.yaml", Text: InClusterBackendsManifests.CaConfigMaps(collectorNamespaces, Ca.CaPem)));
        }

        foreach (var tar in ImageTarballs(Configuration.ImagesDirectory))
        {
            files.Add(new(K3sClusterConfiguration.AirgapImagesFolder + Path.GetFileName(tar), HostPath: tar));
        }

        if (Images.Builds.Count > 0)
        {
            files.Add(new(Images.ContainerPath, HostPath: BuiltImagesTarball));
        }

        return files;
    }

    /// <summary>
    /// The in-cluster backends' Secrets (the credentials they accept, their TLS key) as YAML to apply through the
    /// cluster's API once it serves; never written to disk.
    /// </summary>
    public string BackendSecrets(string dynatraceToken, string datadogApiKey) =>
        InClusterBackendsManifests.Secrets(dynatraceToken, datadogApiKey, Ca ?? throw new InvalidOperationException("the cluster deploys no in-cluster backends (WithInClusterBackends)"));

    /// <summary>
    /// Builds the lab's images (<see cref="Images"/>) and saves them for k3s's air-gap import folder, then starts k3s
    /// and returns once its node is registered (the releases then install in the background).
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Images.Builds.Count > 0)
        {
            Directory.CreateDirectory(_scratch);
            await LabImageBuilds.BuildAndSaveAsync(Images, Configuration.RepositoryRoot!, BuiltImagesTarball, cancellationToken).ConfigureAwait(false);
        }

        _container = ContainerBuilder().Build();
        await _container.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The Testcontainers.K3s builder of the container: Testcontainers.K3s runs <c>server --disable=traefik</c>
    /// privileged with /run and /var/run on tmpfs and waits for its ready log line; our flags are appended
    /// (WithCommand adds to the command), the files are mapped in, and the published ports bind loopback only.
    /// </summary>
    internal K3sBuilder ContainerBuilder()
    {
        var builder = new K3sBuilder(Configuration.Image)
            .WithCommand(Configuration.ServerFlags.Where(f => f != "--disable=traefik").ToArray())
            .WithCreateParameterModifier(PublishOnLoopbackOnly);
        foreach (var file in Files())
        {
            builder = file.HostPath is { } host
                ? builder.WithResourceMapping(FilePath.Of(host), FilePath.Of(file.ContainerPath))
                : builder.WithResourceMapping(System.Text.Encoding.UTF8.GetBytes(file.Text ?? ""), FilePath.Of(file.ContainerPath));
        }

        return builder;
    }

    /// <summary>
    /// Publishes the container's ports (the API server's 6443, Rancher's webhook 8443) on 127.0.0.1 only: Testcontainers
    /// binds every published port on all interfaces (upstream testcontainers-dotnet
    /// ContainerConfigurationConverter.ToPortBindings: <c>HostIP = IPAddress.Any</c>), which would put k3s's API on the
    /// network. Its create-parameter modifiers run after that conversion (DockerContainerOperations.RunAsync).
    /// </summary>
    internal static void PublishOnLoopbackOnly(CreateContainerParameters parameters)
    {
        foreach (var binding in parameters.HostConfig?.PortBindings?.Values.SelectMany(b => b ?? []) ?? [])
        {
            binding.HostIP = "127.0.0.1";
        }
    }

    /// <summary>The container as the engine reports it now (no id or endpoint before <see cref="StartAsync"/>).</summary>
    public K3sContainerInfo Describe() =>
        _container is null
            ? new(null, Configuration.Image, "NotStarted", null)
            : new(_container.Id, Configuration.Image, _container.State.ToString(),
                _container.State == DotNet.Testcontainers.Containers.TestcontainersStates.Running
                    ? $"https://{_container.Hostname}:{_container.GetMappedPublicPort(K3sClusterConfiguration.ApiServerPort)}"
                    : null);

    /// <summary>The kubeconfig of the running cluster, its server rewritten to the mapped host port.</summary>
    public Task<string> GetKubeconfigAsync() =>
        (_container ?? throw new InvalidOperationException("start the cluster first")).GetKubeconfigAsync();

    /// <summary>Waits for each release's helm-controller install job (<c>helm-install-NAME</c> in kube-system) to complete.</summary>
    public async Task WaitForReleasesAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var container = _container ?? throw new InvalidOperationException("start the cluster first");
        foreach (var (release, _) in _charts)
        {
            var result = await container.ExecAsync(
                ["kubectl", "wait", "--for=condition=complete", $"job/helm-install-{release.Name}", "-n", "kube-system", $"--timeout={(int)timeout.TotalSeconds}s"],
                cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"{release.Display} did not install within {timeout.TotalSeconds:0} s: {result.Stderr.Trim()} " +
                    $"(kubectl -n kube-system logs job/helm-install-{release.Name} shows helm's output)");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync().ConfigureAwait(false);
        }

        if (Directory.Exists(_scratch))
        {
            Directory.Delete(_scratch, recursive: true); // the built images' tarball: gigabytes, imported already
        }
    }

    internal static IEnumerable<string> ImageTarballs(string? directory) =>
        directory is null ? [] : Directory.EnumerateFiles(directory).Where(IsImageTarball).Order(StringComparer.Ordinal);

    // k3s imports .tar, .tar.gz/.tgz, .tar.zst, .tar.bz2, .tar.lz4 from the images folder.
    internal static bool IsImageTarball(string file) =>
        new[] { ".tar", ".tar.gz", ".tgz", ".tar.zst", ".tar.bz2", ".tar.lz4" }.Any(e => file.EndsWith(e, StringComparison.Ordinal));
}
