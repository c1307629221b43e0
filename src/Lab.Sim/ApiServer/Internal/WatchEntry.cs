using OtelLab.Sim.Cluster;
using OtelLab.Sim.Cluster.Internal;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>One change in the watch cache: the event type, the object, and the resourceVersion it was made at.</summary>
internal sealed record WatchEntry(WatchEventType Type, StoredObject Object, long ResourceVersion);
