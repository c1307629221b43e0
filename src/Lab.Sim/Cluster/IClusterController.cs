namespace OtelLab.Sim.Cluster;

/// <summary>
/// A controller running against the simulated API server (like a controller-runtime reconciler). After every change
/// the cluster calls each controller with the batch of changes; a controller reads and writes through the cluster's
/// API, and its own writes form the next batch, until nothing changes. Calls are serialised by the cluster.
/// </summary>
public interface IClusterController
{
    string Name { get; }

    void Reconcile(SimulatedCluster cluster, IReadOnlyList<WatchEvent> changes);
}
