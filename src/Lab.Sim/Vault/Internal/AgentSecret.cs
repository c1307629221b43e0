namespace OtelLab.Sim.Vault.Internal;

/// <summary>One secret to render: its file name, Vault path, template (the default one when none was given) and
/// destination inside the pod (e.g. <c>/vault/secrets/dt</c>).</summary>
internal sealed record AgentSecret(string Name, string VaultPath, string Template, string ContainerPath);
