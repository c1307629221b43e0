namespace OtelLab.Sim.Vault.Internal;

/// <summary>What a request does, after the HTTP verb is mapped. upstream: sdk/logical/request.go Operation.</summary>
internal enum LogicalOperation
{
    Read,
    List,
    Create,
    Update,
    Delete,
}
