using System.Text.Json.Nodes;
using k8s.Models;
using OtelLab.Model.Manifests;
using OtelLab.Model.Yaml;
using OtelLab.Sim.ApiServer.Internal;
using OtelLab.Sim.Cluster.Internal;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Sim.Cluster;

/// <summary><c>kubectl apply -f</c> over a loaded <see cref="ManifestSet"/>.</summary>
public sealed partial class SimulatedCluster
{
    private readonly Dictionary<(string Kind, string? Ns, string Name), string> _lastApplied = [];

    /// <summary>
    /// Applies every object in file order, as <c>kubectl apply -f</c> does: created, configured or unchanged; an
    /// object the server refuses (missing namespace, unknown kind, webhook denial, …) fails alone and the rest go on.
    /// </summary>
    public Task<ApplyResult> ApplyAsync(ManifestSet manifests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        var outcomes = new List<ApplyOutcome>();
        foreach (var error in manifests.Errors)
        {
            outcomes.Add(new ApplyOutcome("?", null, error.Location.ToString(), ApplyAction.Failed, error.ToString(), null));
        }

        foreach (var manifest in manifests.Objects)
        {
            cancellationToken.ThrowIfCancellationRequested();
            outcomes.Add(ApplyOne(manifest));
        }

        return Task.FromResult(new ApplyResult(outcomes));
    }

    private ApplyOutcome ApplyOne(ManifestObject m)
    {
        var kind = ResourceKind.Find(m.Kind);
        if (kind is null || kind.Group != m.Group || m.Typed is null || !Options.Installs(kind))
        {
            // kubectl: resource mapping not found … ensure CRDs are installed first
            var where = m.Namespace is null ? string.Empty : $" namespace: \"{m.Namespace}\"";
            return Failed(m, $"resource mapping not found for name: \"{m.Name}\"{where} from \"{m.Location.File}\": " +
                             $"no matches for kind \"{m.Kind}\" in version \"{m.ApiVersion}\"\nensure CRDs are installed first");
        }

        var text = Serialize(m.Root);
        var key = (m.Kind, m.Namespace, m.Name);
        lock (_gate)
        {
            _lastWarnings.Clear();
            try
            {
                var meta = MetadataFromManifest(m);
                var value = ObjectModel.Clone(m.Typed);
                if (value is IMetadata<V1ObjectMeta> k)
                {
                    k.Metadata ??= new V1ObjectMeta();
                    k.Metadata.NamespaceProperty = m.Namespace;
                }

                var existing = _store.Get(kind, m.Namespace, m.Name);
                var document = (JsonObject)YamlJson.Convert(m.Root)!;
                LastAppliedConfiguration.Annotate(meta, document);
                if (value is IMetadata<V1ObjectMeta> typedMeta)
                {
                    typedMeta.Metadata.Annotations = meta.Annotations;
                }

                ApplyAction action;
                if (existing is null)
                {
                    var created = CreateLocked(kind, value, meta);
                    if (kind.IsCustom)
                    {
                        RememberDocument(created.Value, document);
                    }

                    action = ApplyAction.Created;
                }
                else if (_lastApplied.TryGetValue(key, out var last) && last == text)
                {
                    action = ApplyAction.Unchanged;
                }
                else
                {
                    var updated = UpdateLocked(kind, ObjectModel.CarryServerFields(value, existing.Value), meta, admit: true);
                    if (kind.IsCustom)
                    {
                        RememberDocument(updated.Value, document);
                    }

                    action = ApplyAction.Configured;
                }

                _lastApplied[key] = text;
                Drain();
                var warnings = _lastWarnings.Count == 0 ? null : string.Join("\n", _lastWarnings.Select(w => $"Warning: {w}"));
                return new ApplyOutcome(m.Kind, m.Namespace, m.Name, action, warnings, m);
            }
            catch (ClusterApiException e)
            {
                Drain();
                return Failed(m, e.Message);
            }
        }
    }

    private static ApplyOutcome Failed(ManifestObject m, string message) =>
        new(m.Kind, m.Namespace, m.Name, ApplyAction.Failed, message, m);

    private static V1ObjectMeta MetadataFromManifest(ManifestObject m)
    {
        var reader = new YamlReader(m.Location.File);
        var metadata = m.Find("metadata") as YamlMappingNode;
        var labels = reader.StringMap(metadata, "labels", "metadata.labels");
        var annotations = reader.StringMap(metadata, "annotations", "metadata.annotations");
        return new V1ObjectMeta
        {
            Name = m.Name,
            NamespaceProperty = m.Namespace,
            Labels = labels.Count == 0 ? null : new Dictionary<string, string>(labels),
            Annotations = annotations.Count == 0 ? null : new Dictionary<string, string>(annotations),
        };
    }

    private static string Serialize(YamlMappingNode root)
    {
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}
