namespace OtelLab.Model.Crds;

/// <summary>
/// The operator's validating webhook for OpenTelemetryCollector, as far as the lab emulates it. Messages are
/// upstream's (opentelemetry-operator <c>apis/v1beta1/collector_webhook.go</c>, validateTargetAllocatorConfig).
/// </summary>
public static class CollectorWebhook
{
    /// <summary>The v1alpha1 webhook's name as it prefixes a denial (<c>admission webhook "…" denied the request: …</c>).</summary>
    public const string Name = "vopentelemetrycollectorcreateupdate.kb.io";

    /// <summary>The v1beta1 webhook's name (kubebuilder marker in apis/v1beta1/collector_webhook.go).</summary>
    public const string BetaName = "vopentelemetrycollectorcreateupdatebeta.kb.io";

    /// <summary>The webhook that validates a CR of this apiVersion.</summary>
    public static string NameFor(string apiVersion) =>
        apiVersion.EndsWith("/v1alpha1", StringComparison.Ordinal) ? Name : BetaName;

    public static IReadOnlyList<string> Validate(OpenTelemetryCollector collector)
    {
        var errors = new List<string>();
        var mode = collector.Mode;
        var ta = collector.TargetAllocator;
        if (ta.Enabled)
        {
            if (mode != CollectorMode.StatefulSet && mode != CollectorMode.DaemonSet)
            {
                errors.Add($"the OpenTelemetry Collector mode is set to {mode}, which does not support the target allocation deployment");
            }
            else if (mode == CollectorMode.DaemonSet && ta.AllocationStrategy != AllocationStrategy.PerNode)
            {
                // upstream's message ends with a space; kept as is.
                errors.Add($"the OpenTelemetry Collector mode is set to {mode}, which must be used with target allocation strategy {AllocationStrategy.PerNode} ");
            }
            else if (ta.AllocationStrategy == AllocationStrategy.PerNode && mode != CollectorMode.DaemonSet)
            {
                errors.Add($"target allocation strategy {AllocationStrategy.PerNode} is only supported in OpenTelemetry Collector mode {CollectorMode.DaemonSet}");
            }
        }

        return errors;
    }

    public static string Denial(string message, string apiVersion) =>
        $"admission webhook \"{NameFor(apiVersion)}\" denied the request: {message}";
}
