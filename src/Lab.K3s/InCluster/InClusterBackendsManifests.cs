using System.Text;
using System.Text.Json;

namespace OtelLab.K3s.InCluster;

/// <summary>
/// The Kubernetes objects that make the in-cluster mock backends answer for the vendors: the backends themselves
/// (<c>backends.yaml</c>), the vendor host names resolved to their Services by k3s's CoreDNS, the run's CA for the
/// collectors, and the Secrets (credentials, TLS key) that only ever go through the API.
/// </summary>
public static class InClusterBackendsManifests
{
    /// <summary>The ConfigMap k3s's CoreDNS imports custom configuration from.</summary>
    public const string CoreDnsCustomName = "coredns-custom";

    /// <summary>The ConfigMap (in each collector namespace) holding the run's CA certificate.</summary>
    public const string CaConfigMapName = "otel-lab-ca";

    /// <summary>Where collectors mount the CA, and the file <c>SSL_CERT_FILE</c> names.</summary>
    public const string CaMountPath = "/etc/otel-lab-ca";

    public const string CaFile = CaMountPath + "/ca.crt";

    /// <summary><c>InCluster/backends.yaml</c> as shipped: Namespace, Deployment (backends + two TLS sidecars), two Services.</summary>
    public static string Backends()
    {
        using var stream = typeof(InClusterBackendsManifests).Assembly.GetManifestResourceStream("OtelLab.K3s.InCluster.backends.yaml")
            ?? throw new InvalidOperationException("backends.yaml is not embedded in Lab.K3s");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The <c>coredns-custom</c> ConfigMap: one <c>*.override</c> key whose rewrite rules answer each vendor host with
    /// its backend Service. k3s's CoreDNS (k3s-io/k3s manifests/coredns.yaml) mounts this ConfigMap, optional, at
    /// /etc/coredns/custom and its Corefile has <c>import /etc/coredns/custom/*.override</c> inside the <c>.:53</c>
    /// block (and <c>*.server</c> at top level for whole server blocks). Each rule rewrites the question to the
    /// Service's name, which the kubernetes plugin answers, and the answer's name back to the vendor host (CoreDNS
    /// plugin/rewrite README, "Response rewrites": a name rule with an <c>answer name</c> rule in one block), so the
    /// client sees an A record for the host it asked for.
    /// </summary>
    public static string CoreDnsCustom(InClusterBackends backends)
    {
        ArgumentNullException.ThrowIfNull(backends);
        var rules = new StringBuilder();
        foreach (var (host, service) in backends.HostServices)
        {
            rules.Append("rewrite stop {\n")
                .Append("  name regex ^").Append(RegexEscape(host)).Append("\\.$ ").Append(service).Append(".\n")
                .Append("  answer name ^").Append(RegexEscape(service)).Append("\\.$ ").Append(host).Append(".\n")
                .Append("}\n");
        }

        return new StringBuilder()
            .Append("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ").Append(CoreDnsCustomName).Append("\n  namespace: kube-system\n")
            .Append("data:\n  otel-lab-vendors.override: ").Append(Quote(rules.ToString())).Append('\n')
            .ToString();
    }

    /// <summary>The run's CA certificate as the <c>otel-lab-ca</c> ConfigMap of each namespace (public data: may go on disk).</summary>
    public static string CaConfigMaps(IEnumerable<string> namespaces, string caPem)
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        var yaml = new StringBuilder();
        foreach (var ns in namespaces.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            yaml.Append("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ").Append(CaConfigMapName)
                .Append("\n  namespace: ").Append(Quote(ns)).Append("\ndata:\n  ca.crt: ").Append(Quote(caPem)).Append('\n');
        }

        return yaml.ToString();
    }

    /// <summary>
    /// The backends' Secrets: the credentials they accept and their TLS certificate and key. Applied through the
    /// cluster's API only (never written to a file); what the apply prints names the objects, not their data.
    /// </summary>
    public static string Secrets(string dynatraceToken, string datadogApiKey, LabCertificateAuthority ca)
    {
        ArgumentNullException.ThrowIfNull(ca);
        return new StringBuilder()
            .Append("apiVersion: v1\nkind: Secret\nmetadata:\n  name: lab-backends-credentials\n  namespace: ").Append(InClusterBackends.Namespace).Append('\n')
            .Append("type: Opaque\nstringData:\n  dynatrace-token: ").Append(Quote(dynatraceToken)).Append("\n  datadog-api-key: ").Append(Quote(datadogApiKey)).Append('\n')
            .Append("---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: lab-backends-tls\n  namespace: ").Append(InClusterBackends.Namespace).Append('\n')
            .Append("type: kubernetes.io/tls\nstringData:\n  tls.crt: ").Append(Quote(ca.ServerCertificatePem + "\n" + ca.CaPem)).Append("\n  tls.key: ").Append(Quote(ca.ServerKeyPem)).Append('\n')
            .ToString();
    }

    private static string RegexEscape(string name) => name.Replace(".", "\\.", StringComparison.Ordinal);

    // A JSON string is a valid double-quoted YAML scalar.
    private static string Quote(string value) => JsonSerializer.Serialize(value);
}
