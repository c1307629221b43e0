namespace OtelLab.K3s.InCluster;

/// <summary>
/// The mock backends deployed into k3s for a scenario that sends to vendor endpoints: which vendor host names the
/// cluster's DNS answers with them (what the manifests' exporters call).
/// </summary>
public sealed record InClusterBackends
{
    /// <summary>The namespace of the backends' Deployment, Services and Secrets.</summary>
    public const string Namespace = "lab-backends";

    /// <summary>The mock Dynatrace's Service (port 443, TLS): the Dynatrace hosts resolve to it.</summary>
    public const string DynatraceService = "dynatrace";

    /// <summary>The mock Datadog's Service (port 443, TLS): the Datadog site's intake hosts resolve to it.</summary>
    public const string DatadogService = "datadog";

    /// <summary>The port the backends listen on inside their pod's loopback: Dynatrace, and Datadog on the next one.</summary>
    public const int DynatraceLoopbackPort = 4318;

    public const int DatadogLoopbackPort = DynatraceLoopbackPort + 1;

    public required IReadOnlyList<string> DynatraceHosts { get; init; }

    public required IReadOnlyList<string> DatadogHosts { get; init; }

    /// <summary>Every vendor host name, each with the in-cluster Service name it resolves to.</summary>
    public IEnumerable<(string Host, string Service)> HostServices =>
        DynatraceHosts.Select(h => (h, ServiceName(DynatraceService))).Concat(DatadogHosts.Select(h => (h, ServiceName(DatadogService))));

    /// <summary>The fully qualified in-cluster name of one of the backends' Services.</summary>
    public static string ServiceName(string service) => $"{service}.{Namespace}.svc.cluster.local";
}
