using k8s;
using k8s.Models;

namespace OtelLab.Sim.Cluster.Internal.Controllers;

/// <summary>
/// Deployment → ReplicaSet <c>&lt;deploy&gt;-&lt;pod-template-hash&gt;</c> with the <c>pod-template-hash</c> label on
/// its selector and template. A template change creates a new ReplicaSet and scales the old ones to zero at once
/// (the rollout's surge/unavailability pacing is not modelled).
/// upstream: kubernetes pkg/controller/deployment/sync.go (getNewReplicaSet; event "Scaled up replica set %s from %d to %d").
/// </summary>
internal sealed class DeploymentController : IClusterController
{
    private const string HashLabel = "pod-template-hash";

    public string Name => "deployment-controller";

    public void Reconcile(SimulatedCluster cluster, IReadOnlyList<WatchEvent> changes)
    {
        foreach (var stored in Triggers.OwnersToSync(cluster, changes, "Deployment", "ReplicaSet"))
        {
            Sync(cluster, stored);
        }
    }

    private void Sync(SimulatedCluster cluster, StoredObject stored)
    {
        var d = (V1Deployment)stored.Value;
        var rsKind = ResourceKind.Of("ReplicaSet");
        var hash = NameGenerator.TemplateHash(KubernetesJson.Serialize(d.Spec.Template));
        var rsName = $"{stored.Name}-{hash}";
        var want = d.Spec.Replicas ?? 1;
        var owned = Triggers.Controlled(cluster, stored, "ReplicaSet");
        var current = owned.FirstOrDefault(o => o.Name == rsName);
        if (current is null)
        {
            var template = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(d.Spec.Template));
            template.Metadata ??= new V1ObjectMeta();
            template.Metadata.Labels = new Dictionary<string, string>(template.Metadata.Labels ?? new Dictionary<string, string>()) { [HashLabel] = hash };
            var selector = KubernetesJson.Deserialize<V1LabelSelector>(KubernetesJson.Serialize(d.Spec.Selector));
            selector.MatchLabels = new Dictionary<string, string>(selector.MatchLabels ?? new Dictionary<string, string>()) { [HashLabel] = hash };
            var revision = owned.Select(o => int.TryParse((o.Metadata.Annotations is { } a && a.TryGetValue("deployment.kubernetes.io/revision", out var text) ? text : null), out var r) ? r : 0)
                .DefaultIfEmpty(0).Max() + 1;
            var rs = new V1ReplicaSet
            {
                Metadata = new V1ObjectMeta
                {
                    Name = rsName,
                    NamespaceProperty = stored.Namespace,
                    Labels = new Dictionary<string, string>(template.Metadata.Labels),
                    Annotations = new Dictionary<string, string>
                    {
                        ["deployment.kubernetes.io/revision"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ["deployment.kubernetes.io/desired-replicas"] = want.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    },
                    OwnerReferences = [Triggers.OwnerReference(stored)],
                },
                Spec = new V1ReplicaSetSpec { Replicas = want, Selector = selector, Template = template },
            };
            current = cluster.CreateLocked(rsKind, rs, null);
            cluster.Recorder.Normal(stored, "ScalingReplicaSet", $"Scaled up replica set {rsName} from 0 to {want}", Name);
        }
        else
        {
            Scale(cluster, stored, current, want);
        }

        foreach (var old in owned.Where(o => o.Name != rsName))
        {
            Scale(cluster, stored, old, 0);
        }

        var all = Triggers.Controlled(cluster, stored, "ReplicaSet").Select(o => ((V1ReplicaSet)o.Value).Status).ToList();
        var status = new V1DeploymentStatus
        {
            Replicas = all.Sum(s => s?.Replicas ?? 0),
            ReadyReplicas = all.Sum(s => s?.ReadyReplicas ?? 0),
            AvailableReplicas = all.Sum(s => s?.AvailableReplicas ?? 0),
            UpdatedReplicas = ((V1ReplicaSet)cluster.Store.Get(rsKind, stored.Namespace, rsName)!.Value).Status?.Replicas ?? 0,
            ObservedGeneration = stored.Metadata.Generation,
        };
        PodTemplates.WriteStatus<V1Deployment>(cluster, stored, d.Status, status, (o, s) => o.Status = (V1DeploymentStatus)s);
    }

    private void Scale(SimulatedCluster cluster, StoredObject deployment, StoredObject rsStored, int replicas)
    {
        var rs = (V1ReplicaSet)rsStored.Value;
        var from = rs.Spec.Replicas ?? 1;
        if (from == replicas)
        {
            return;
        }

        var copy = ObjectModel.Clone(rs);
        copy.Spec.Replicas = replicas;
        cluster.UpdateLocked(rsStored.Kind, copy, null, admit: false, handOver: true);
        var verb = replicas > from ? "up" : "down";
        cluster.Recorder.Normal(deployment, "ScalingReplicaSet", $"Scaled {verb} replica set {rsStored.Name} from {from} to {replicas}", Name);
    }
}
