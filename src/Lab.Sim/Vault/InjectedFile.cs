namespace OtelLab.Sim.Vault;

/// <summary>One <c>agent-inject-secret-NAME</c>: where it goes and what happened. Never holds the content.</summary>
public sealed record InjectedFile
{
    public required string Name { get; init; }

    public required string VaultPath { get; init; }

    /// <summary>The path inside the pod, e.g. <c>/vault/secrets/dt</c>.</summary>
    public required string ContainerPath { get; init; }

    /// <summary>Where the lab wrote it on this machine.</summary>
    public required string HostPath { get; init; }

    public required InjectedFileStatus Status { get; init; }

    /// <summary>Vault's or the template engine's words, with any secret value masked.</summary>
    public string? Error { get; init; }

    public int Bytes { get; init; }
}
