namespace OtelLab.Model.Crds;

/// <summary>
/// One <c>spec.selector.matchExpressions</c> entry of a ServiceMonitor/PodMonitor: a Kubernetes set-based requirement
/// (<c>In</c>, <c>NotIn</c>, <c>Exists</c>, <c>DoesNotExist</c>) on the Service's (PodMonitor: the Pod's) labels.
/// </summary>
public sealed record MonitorSelectorExpression(string Key, string Operator, IReadOnlyList<string> Values)
{
    /// <summary>The operators Kubernetes accepts in a label selector.</summary>
    public static IReadOnlyList<string> Operators { get; } = ["In", "NotIn", "Exists", "DoesNotExist"];
}
