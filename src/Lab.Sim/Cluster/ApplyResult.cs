using OtelLab.Model.Manifests;

namespace OtelLab.Sim.Cluster;

/// <summary>What <c>kubectl apply</c> did with one object.</summary>
public enum ApplyAction
{
    Created,
    Configured,
    Unchanged,
    Failed,
}

/// <summary>One line of <c>kubectl apply</c> output: the object, what happened, and the server's message on failure.</summary>
public sealed record ApplyOutcome(string Kind, string? Namespace, string Name, ApplyAction Action, string? Message, ManifestObject? Manifest)
{
    /// <summary><c>deployment.apps/checkout created</c>, or the error as kubectl prints it.</summary>
    public override string ToString()
    {
        var kind = ResourceKind.Find(Kind);
        var id = kind is null ? $"{Kind.ToLowerInvariant()}/{Name}" : $"{kind.Kind.ToLowerInvariant()}{(kind.Group.Length == 0 ? string.Empty : "." + kind.Group)}/{Name}";
        return Action == ApplyAction.Failed ? $"Error from server: {Message}" : $"{id} {Action.ToString().ToLowerInvariant()}";
    }
}

/// <summary>The result of applying a <see cref="ManifestSet"/>: one outcome per object, failures included.</summary>
public sealed record ApplyResult(IReadOnlyList<ApplyOutcome> Outcomes)
{
    public IEnumerable<ApplyOutcome> Failures => Outcomes.Where(o => o.Action == ApplyAction.Failed);

    public bool Succeeded => !Failures.Any();

    public ApplyOutcome? For(string kind, string name) => Outcomes.FirstOrDefault(o => o.Kind == kind && o.Name == name);
}
