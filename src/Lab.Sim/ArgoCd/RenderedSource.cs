using System.Text.Json.Nodes;

namespace OtelLab.Sim.ArgoCd;

/// <summary>What the repo server produced for one Application at one commit: the target objects, as JSON.</summary>
public sealed record RenderedSource(string Revision, string SourceType, IReadOnlyList<TargetObject> Objects);

/// <summary>One desired object and where it came from (<c>path/file.yaml:line</c>, or the kustomization).</summary>
public sealed record TargetObject(JsonObject Object, string Location)
{
    public string ApiVersion => (string?)Object["apiVersion"] ?? string.Empty;

    public string Kind => (string?)Object["kind"] ?? string.Empty;

    public string Name => (string?)Object["metadata"]?["name"] ?? string.Empty;

    public string? Namespace => (string?)Object["metadata"]?["namespace"];

    public string Group => ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[..ApiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;

    /// <summary><c>group/Kind/namespace/name</c>: how Argo pairs target and live objects (gitops-engine pkg/sync/reconcile.go Reconcile).</summary>
    public string Key => $"{Group}/{Kind}/{Namespace}/{Name}";
}
