namespace OtelLab.Sim.Kubelet;

/// <summary>
/// A container's process environment as the kubelet computes it, or the error that keeps the container from starting
/// (<see cref="WaitingReason"/> <c>CreateContainerConfigError</c>).
/// </summary>
public sealed record ContainerEnvironmentResult
{
    /// <summary>upstream: pkg/kubelet/kuberuntime — the waiting reason when generating the container config fails.</summary>
    public const string CreateContainerConfigError = "CreateContainerConfigError";

    /// <summary>The final variables, each name once, in the order first defined (envFrom, then env).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Variables { get; init; } = [];

    /// <summary>References left literal, in env order.</summary>
    public IReadOnlyList<UnresolvedReference> Unresolved { get; init; } = [];

    /// <summary>Warning events the kubelet raised (e.g. <c>InvalidEnvironmentVariableNames</c> for skipped envFrom keys).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The kubelet's error text (e.g. <c>secret "dt" not found</c>), or null when the environment was built.</summary>
    public string? Error { get; init; }

    public bool Succeeded => Error is null;

    /// <summary><c>CreateContainerConfigError</c> when <see cref="Error"/> is set, else null.</summary>
    public string? WaitingReason => Error is null ? null : CreateContainerConfigError;

    /// <summary>The value of <paramref name="name"/>, or null when the process would not have it.</summary>
    public string? this[string name] => Variables.FirstOrDefault(v => v.Key == name) is { Key: not null } kv ? kv.Value : null;

    public IReadOnlyDictionary<string, string> ToDictionary() => Variables.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
}
