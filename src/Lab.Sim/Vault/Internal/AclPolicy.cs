namespace OtelLab.Sim.Vault.Internal;

/// <summary>A named ACL policy: its raw HCL (returned on read) and the parsed path rules.</summary>
internal sealed record AclPolicy(string Name, string Raw, IReadOnlyList<PolicyPath> Paths);
