namespace OtelLab.Sim.Vault;

public enum InjectedFileStatus
{
    /// <summary>Rendered and written.</summary>
    Rendered,

    /// <summary>Not written: login failed, the secret was missing or denied, or the template failed.</summary>
    Failed,
}
