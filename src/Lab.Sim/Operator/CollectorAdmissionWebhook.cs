using OtelLab.Model.Crds;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Operator.Internal;

namespace OtelLab.Sim.Operator;

/// <summary>
/// The operator's validating webhook for OpenTelemetryCollector: Lab.Model's <see cref="CollectorWebhook"/> rules
/// (target allocation modes and strategies), the TA's prometheus configuration check, and "mode cannot change on
/// update". A denial reaches the client as
/// <c>admission webhook "vopentelemetrycollectorcreateupdatebeta.kb.io" denied the request: …</c>; nothing is stored.
/// upstream: apis/v1beta1/collector_webhook.go (ValidateUpdate, Validate, validateTargetAllocatorConfig; kubebuilder
/// marker name=vopentelemetrycollectorcreateupdatebeta.kb.io for v1beta1; v1alpha1's is
/// vopentelemetrycollectorcreateupdate.kb.io).
/// </summary>
public sealed class CollectorAdmissionWebhook : IAdmissionWebhook
{
    public const string BetaName = CollectorWebhook.BetaName;

    public string Name => BetaName;

    public bool Mutating => false;

    public bool Handles(ResourceKind kind, AdmissionOperation operation) => kind?.Kind == "OpenTelemetryCollector";

    public AdmissionResponse Review(AdmissionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var collector = (OpenTelemetryCollector)request.Object;
        var name = CollectorWebhook.NameFor(collector.ApiVersion);
        if (request.Operation == AdmissionOperation.Update && request.OldObject is OpenTelemetryCollector old && old.Mode != collector.Mode)
        {
            return AdmissionResponse.Deny($"the OpenTelemetry Collector mode is set to {old.Mode}, which does not support modification", name);
        }

        var errors = CollectorWebhook.Validate(collector);
        if (errors.Count > 0)
        {
            return AdmissionResponse.Deny(errors[0], name);
        }

        if (collector.TargetAllocator.Enabled)
        {
            var tree = ConfigTree.From(collector.Config.Root) as Dictionary<string, object?> ?? [];
            if (PrometheusRewrite.Validate(tree, collector.TargetAllocator.PrometheusCR.Enabled) is { } problem)
            {
                return AdmissionResponse.Deny(problem, name);
            }
        }

        return AdmissionResponse.Allow();
    }
}
