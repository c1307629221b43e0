using OtelLab.Model.Install;

namespace OtelLab.K3s;

/// <summary>
/// Every image the k3s substrate runs, pinned in one place (as Aspire pins <c>XContainerImageTags</c>). The charts'
/// own images come from <see cref="ChartCatalog"/>; the collector and auto-instrumentation images are the operator
/// v0.113.0 defaults (its versions.txt) plus the ones the bundled scenarios' manifests name.
/// </summary>
public static class LabImages
{
    /// <summary>
    /// k3s v1.31.2 (Nov 2024, contemporary with operator 0.113.0; kubectl 1.32 is within skew). Testcontainers.K3s
    /// 4.17.0 defaults to v1.26.2-k3s1, which predates the CRD validation rules the operator's CRDs use.
    /// </summary>
    public const string K3s = "rancher/k3s:v1.31.2-k3s1";

    /// <summary>The file k3s publishes beside each release for air-gapped nodes (its system images: coredns, pause, klipper-helm, …).</summary>
    public const string K3sAirgapImages = "k3s-airgap-images-amd64.tar.zst";

    public const string CollectorContrib = "otel/opentelemetry-collector-contrib:0.113.0";

    /// <summary>What the bundled scenarios' collector CRs pin (the guide's <c>image:</c>).</summary>
    public const string CollectorContribGuide = "otel/opentelemetry-collector-contrib:0.105.0";

    public const string Operator = "ghcr.io/open-telemetry/opentelemetry-operator/opentelemetry-operator:0.113.0";

    public const string TargetAllocator = "ghcr.io/open-telemetry/opentelemetry-operator/target-allocator:0.113.0";

    public const string AutoInstrumentationJava = "ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-java:2.6.0";

    public const string AutoInstrumentationPython = "ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-python:0.46b0";

    public const string AutoInstrumentationNodeJs = "ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-nodejs:0.52.0";

    /// <summary>The images the lab builds from this repository's Dockerfiles (sample services); never pulled.</summary>
    public static IReadOnlyList<string> Built { get; } = ["otel-lab/checkout:1.0.0", "otel-lab/payments:1.0.0", "otel-lab/ledger:1.0.0"];

    /// <summary>The mock backends built from <c>InCluster/Dockerfile.backends</c>, deployed when a scenario sends to vendor endpoints.</summary>
    public const string Backends = "otel-lab/backends:1.0.0";

    /// <summary>
    /// How each image the lab builds is built, paths relative to the repository root: the sample services from
    /// their own folders, the backends from the whole repository (it publishes the AppHost).
    /// </summary>
    public static IReadOnlyList<LabImageBuild> Builds { get; } =
    [
        .. Built.Select(tag => new LabImageBuild(tag, Path.Combine("SampleServices", ServiceOf(tag)), "Dockerfile", new Dictionary<string, string>())),
        new LabImageBuild(Backends, ".", Path.Combine("src", "Lab.K3s", "InCluster", "Dockerfile.backends"), new Dictionary<string, string>()),
    ];

    /// <summary>The sample service an <c>otel-lab/NAME:TAG</c> image is built from.</summary>
    public static string ServiceOf(string image) => image.Split('/')[^1].Split(':')[0];

    /// <summary>The TCP forwarder beside the in-cluster backends (<c>InCluster/backends.yaml</c>): the mocks stay on the pod's loopback.</summary>
    public const string Socat = "alpine/socat:1.8.0.1";

    /// <summary>The images k3s's containerd needs for a scenario's install (charts' images and the operator's operands).</summary>
    public static IReadOnlyList<string> For(InstallSpec install)
    {
        var images = new List<string>();
        foreach (var release in install.Releases)
        {
            images.AddRange(ChartCatalog.Find(release.ChartName, release.Version)?.Images ?? []);
        }

        images.AddRange([CollectorContrib, CollectorContribGuide, TargetAllocator, AutoInstrumentationJava, AutoInstrumentationPython, AutoInstrumentationNodeJs]);
        return images.Distinct(StringComparer.Ordinal).ToList();
    }
}
