namespace OtelLab.Model.Crds;

/// <summary>The allowed values of <c>spec.mode</c> (upstream CRD enum; the webhook defaults to deployment).</summary>
public static class CollectorMode
{
    public const string DaemonSet = "daemonset";
    public const string Deployment = "deployment";
    public const string Sidecar = "sidecar";
    public const string StatefulSet = "statefulset";

    public static IReadOnlyList<string> All { get; } = [DaemonSet, Deployment, Sidecar, StatefulSet];
}
