using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using k8s.Models;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.K8sAttributes.Internal;

/// <summary>
/// The processor's informer caches: pods keyed by every association rule's identifier, ReplicaSets by uid (for the
/// ReplicaSet → Deployment step), and each pod's extracted attributes.
/// upstream: processor/k8sattributesprocessor/internal/kube/client.go (handlePodAdd, extractPodAttributes, GetPod).
/// </summary>
internal sealed partial class PodIndex(K8sAttributesConfig config, IReadOnlyList<IReadOnlyList<string>> ruleFields)
{
    private readonly ConcurrentDictionary<string, PodEntry> _byKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PodEntry> _byUid = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, V1ReplicaSet> _replicaSets = new(StringComparer.Ordinal);
    private int _replicaSetVersion;

    public int PodCount => _byUid.Count;

    public int ReplicaSetCount => _replicaSets.Count;

    // upstream client.go: deployment name from the ReplicaSet name when deployment_name_from_replicaset is set.
    [GeneratedRegex("^(.*)-[0-9a-zA-Z]+$")]
    private static partial Regex ReplicaSetSuffix();

    public void Upsert(V1Pod pod)
    {
        var uid = pod.Metadata.Uid ?? string.Empty;
        Remove(uid);
        var name = pod.Metadata.Name ?? string.Empty;
        if (config.ExcludePods.Any(r => r.IsMatch(name)))
        {
            return;
        }

        var entry = new PodEntry(pod);
        _byUid[uid] = entry;
        foreach (var fields in ruleFields)
        {
            if (KeyOf(pod, fields) is { } key)
            {
                _byKey[key] = entry;
                entry.Keys.Add(key);
            }
        }
    }

    public void Remove(string uid)
    {
        if (!_byUid.TryRemove(uid, out var old))
        {
            return;
        }

        // Only the keys this entry was stored under, and only while they still point at it (a newer pod may own an
        // identifier now, e.g. a reused IP): scanning every key per pod change made 9,000 farm pods quadratic.
        foreach (var key in old.Keys)
        {
            _byKey.TryRemove(new KeyValuePair<string, PodEntry>(key, old));
        }
    }

    public void UpsertReplicaSet(V1ReplicaSet rs)
    {
        _replicaSets[rs.Metadata.Uid ?? string.Empty] = rs;
        Interlocked.Increment(ref _replicaSetVersion);
    }

    public void RemoveReplicaSet(V1ReplicaSet rs)
    {
        _replicaSets.TryRemove(rs.Metadata.Uid ?? string.Empty, out _);
        Interlocked.Increment(ref _replicaSetVersion);
    }

    /// <summary>The pod an identifier names, or null (upstream GetPod; the caller counts the miss).</summary>
    public PodEntry? Find(string key) => _byKey.TryGetValue(key, out var e) ? e : null;

    /// <summary>The pod's extracted attributes (recomputed when the ReplicaSet cache changed since last time).</summary>
    public IReadOnlyList<KeyValuePair<string, AttributeValue>> AttributesOf(PodEntry entry)
    {
        var version = Volatile.Read(ref _replicaSetVersion);
        var cached = entry.Cached;
        if (cached is not null && cached.Version == version)
        {
            return cached.Attributes;
        }

        var attributes = Extract(entry.Pod);
        entry.Cached = new ExtractedAttributes(version, attributes);
        return attributes;
    }

    private static string? KeyOf(V1Pod pod, IReadOnlyList<string> fields)
    {
        var parts = new List<(string, string)>(fields.Count);
        foreach (var field in fields)
        {
            var value = field switch
            {
                // upstream: hostNetwork pods share the node's IP and are never associated by IP.
                PodField.Ip => pod.Spec?.HostNetwork == true ? null : pod.Status?.PodIP,
                PodField.Uid => pod.Metadata.Uid,
                PodField.Name => pod.Metadata.Name,
                PodField.Namespace => pod.Metadata.NamespaceProperty,
                _ => null,
            };
            if (string.IsNullOrEmpty(value))
            {
                return null;
            }

            parts.Add((field, value));
        }

        return PodField.Key(parts);
    }

    private List<KeyValuePair<string, AttributeValue>> Extract(V1Pod pod)
    {
        var tags = new List<KeyValuePair<string, AttributeValue>>();
        var wanted = new HashSet<string>(config.Metadata, StringComparer.Ordinal);

        void Put(string key, string? value)
        {
            if (wanted.Contains(key) && !string.IsNullOrEmpty(value))
            {
                tags.Add(new(key, value));
            }
        }

        Put("k8s.namespace.name", pod.Metadata.NamespaceProperty);
        Put("k8s.pod.name", pod.Metadata.Name);
        Put("k8s.pod.uid", pod.Metadata.Uid);
        Put("k8s.pod.ip", pod.Status?.PodIP);
        Put("k8s.pod.hostname", pod.Spec?.Hostname ?? pod.Metadata.Name);
        Put("k8s.node.name", pod.Spec?.NodeName);

        // upstream client.go: pod.GetCreationTimestamp().MarshalText() (RFC 3339, seconds, UTC "Z").
        if (pod.Metadata.CreationTimestamp is { } created)
        {
            Put("k8s.pod.start_time", created.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }

        foreach (var owner in pod.Metadata.OwnerReferences ?? [])
        {
            switch (owner.Kind)
            {
                case "ReplicaSet":
                    Put("k8s.replicaset.name", owner.Name);
                    Put("k8s.replicaset.uid", owner.Uid);
                    if (config.DeploymentNameFromReplicaSet)
                    {
                        var m = ReplicaSetSuffix().Match(owner.Name ?? string.Empty);
                        Put("k8s.deployment.name", m.Success ? m.Groups[1].Value : null);
                    }
                    else if (_replicaSets.TryGetValue(owner.Uid ?? string.Empty, out var rs)
                        && rs.Metadata.OwnerReferences?.FirstOrDefault(o => o.Kind == "Deployment") is { } deployment)
                    {
                        // upstream: pod → ReplicaSet ownerRef → ReplicaSet informer → Deployment ownerRef.
                        Put("k8s.deployment.name", deployment.Name);
                        Put("k8s.deployment.uid", deployment.Uid);
                    }

                    break;
                case "DaemonSet":
                    Put("k8s.daemonset.name", owner.Name);
                    Put("k8s.daemonset.uid", owner.Uid);
                    break;
                case "StatefulSet":
                    Put("k8s.statefulset.name", owner.Name);
                    Put("k8s.statefulset.uid", owner.Uid);
                    break;
            }
        }

        AddRules(tags, config.Labels, pod.Metadata.Labels, "k8s.pod.labels.");
        AddRules(tags, config.Annotations, pod.Metadata.Annotations, "k8s.pod.annotations.");
        return tags;
    }

    private static void AddRules(List<KeyValuePair<string, AttributeValue>> tags, IReadOnlyList<ExtractionRule> rules, IDictionary<string, string>? source, string defaultPrefix)
    {
        if (source is null)
        {
            return;
        }

        foreach (var rule in rules)
        {
            if (rule.Key is not null)
            {
                if (source.TryGetValue(rule.Key, out var value))
                {
                    tags.Add(new(rule.TagName ?? defaultPrefix + rule.Key, value));
                }

                continue;
            }

            foreach (var (key, value) in source.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var m = rule.KeyRegex!.Match(key);
                if (m.Success)
                {
                    // upstream: tag_name may use the regex's capture groups ($1); default k8s.pod.labels.<key>.
                    tags.Add(new(rule.TagName is null ? defaultPrefix + key : m.Result(rule.TagName), value));
                }
            }
        }
    }
}

/// <summary>One cached pod and its extracted attributes.</summary>
internal sealed class PodEntry(V1Pod pod)
{
    public V1Pod Pod { get; } = pod;

    /// <summary>The association identifiers the entry is indexed under (written once, before it is published).</summary>
    public List<string> Keys { get; } = [];

    public ExtractedAttributes? Cached { get; set; }
}

/// <summary>Attributes extracted from a pod against one version of the ReplicaSet cache.</summary>
internal sealed record ExtractedAttributes(int Version, IReadOnlyList<KeyValuePair<string, AttributeValue>> Attributes);
