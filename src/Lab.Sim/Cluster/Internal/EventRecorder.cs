using System.Globalization;
using k8s.Models;

namespace OtelLab.Sim.Cluster.Internal;

/// <summary>
/// Records Kubernetes Events about objects, aggregating repeats (same object, reason and message) into one event
/// whose <c>count</c> grows, as client-go's event correlator does.
/// </summary>
internal sealed class EventRecorder(SimulatedCluster cluster)
{
    private readonly Dictionary<(string Uid, string Reason, string Message), string> _index = [];

    public void Normal(StoredObject about, string reason, string message, string component) =>
        Record(about, "Normal", reason, message, component);

    public void Warning(StoredObject about, string reason, string message, string component) =>
        Record(about, "Warning", reason, message, component);

    public void Record(StoredObject about, string type, string reason, string message, string component)
    {
        var now = cluster.Time.GetUtcNow().UtcDateTime;
        var ns = about.Namespace ?? "default";
        var key = (about.Metadata.Uid, reason, message);
        var existing = _index.TryGetValue(key, out var eventName)
            ? cluster.Store.Get(ResourceKind.Of("Event"), ns, eventName)?.Value as Corev1Event
            : null;
        if (existing is not null)
        {
            var copy = ObjectModel.Clone(existing);
            copy.Count = (copy.Count ?? 1) + 1;
            copy.LastTimestamp = now;
            cluster.PutEvent(copy, isNew: false);
            return;
        }

        var e = new Corev1Event
        {
            Metadata = new V1ObjectMeta
            {
                Name = $"{about.Name}.{cluster.Random.NextInt64():x16}"[..Math.Min(about.Name.Length + 17, 253)],
                NamespaceProperty = ns,
                Uid = NameGenerator.Uid(cluster.Random),
                CreationTimestamp = now,
            },
            InvolvedObject = new V1ObjectReference
            {
                Kind = about.Kind.Kind,
                ApiVersion = about.Kind.ApiVersion,
                Name = about.Name,
                NamespaceProperty = about.Namespace,
                Uid = about.Metadata.Uid,
                ResourceVersion = about.Metadata.ResourceVersion,
            },
            Type = type,
            Reason = reason,
            Message = message,
            Count = 1,
            FirstTimestamp = now,
            LastTimestamp = now,
            Source = new V1EventSource { Component = component },
            ReportingComponent = component,
        };
        _index[key] = e.Metadata.Name;
        cluster.PutEvent(e, isNew: true);
    }

    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
