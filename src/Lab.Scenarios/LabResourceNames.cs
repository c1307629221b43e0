namespace OtelLab.Scenarios;

/// <summary>The lab's resource names (kebab-case, shared by the console, the dashboard, the reports and the tests).</summary>
public static class LabResourceNames
{
    public const string Cluster = "cluster";
    public const string ClusterDns = "cluster-dns";
    public const string KubeProxy = "kube-proxy";
    public const string Vault = "vault";
    public const string Dynatrace = "dynatrace";
    public const string Datadog = "datadog";
    public const string Operator = "opentelemetry-operator";
    public const string NodeAgents = "node-agents";
    public const string Manifests = "manifests";
    public const string Workloads = "workloads";

    public const string ArgoCd = "argocd";

    public const string ServiceNow = "servicenow";

    public const string GitOpsSteps = "gitops-steps";

    public const string Load = "load";

    public const string Faults = "faults";
}
