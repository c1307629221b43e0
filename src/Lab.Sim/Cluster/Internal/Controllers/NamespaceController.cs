using k8s.Models;

namespace OtelLab.Sim.Cluster.Internal.Controllers;

/// <summary>The ServiceAccount controller's part the lab needs: every namespace gets a <c>default</c> ServiceAccount.</summary>
internal sealed class NamespaceController : IClusterController
{
    public string Name => "serviceaccount-controller";

    public void Reconcile(SimulatedCluster cluster, IReadOnlyList<WatchEvent> changes)
    {
        foreach (var e in changes.Where(e => e.Kind.Kind == "Namespace" && e.Type == WatchEventType.Added))
        {
            if (cluster.Store.Get(ResourceKind.Of("ServiceAccount"), e.Name, "default") is null)
            {
                cluster.CreateLocked(ResourceKind.Of("ServiceAccount"),
                    new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "default", NamespaceProperty = e.Name } }, null);
            }
        }
    }
}
