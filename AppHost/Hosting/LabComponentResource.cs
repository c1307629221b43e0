using OtelLab.Scenarios.Resources;

namespace OtelLab.AppHost.Hosting;

/// <summary>
/// One component of the simulated substrate (cluster, DNS, kube-proxy, Vault, a mock backend, the operator, the
/// kubelets, the manifests, the workloads, the load) as an Aspire resource: Aspire's orchestrator gates its start on
/// <c>WaitFor</c>, the component's own start and health check run when the gate opens.
/// </summary>
internal sealed class LabComponentResource(string name, LabResource component)
    : Aspire.Hosting.ApplicationModel.Resource(name), IResourceWithWaitSupport
{
    public LabResource Component { get; } = component;
}
