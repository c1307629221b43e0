using OtelLab.Model.Crds;

namespace OtelLab.Model.Manifests;

/// <summary>Everything loaded from a set of files or folders, plus the errors that made some of it unusable.</summary>
public sealed class ManifestSet
{
    public required IReadOnlyList<ManifestObject> Objects { get; init; }

    public required IReadOnlyList<ManifestError> Errors { get; init; }

    public required IReadOnlyList<string> Files { get; init; }

    public IEnumerable<ManifestObject> OfKind(string kind) => Objects.Where(o => o.Kind == kind);

    /// <summary>Objects whose typed model is <typeparamref name="T"/>, with their manifest.</summary>
    public IEnumerable<(ManifestObject Manifest, T Model)> Typed<T>()
        where T : class =>
        Objects.Where(o => o.Typed is T).Select(o => (o, (T)o.Typed!));

    public IEnumerable<(ManifestObject Manifest, OpenTelemetryCollector Model)> Collectors => Typed<OpenTelemetryCollector>();

    public ManifestObject? Find(string kind, string? ns, string name) =>
        Objects.FirstOrDefault(o => o.Kind == kind && o.Name == name && (ns is null || o.Namespace == ns));
}
