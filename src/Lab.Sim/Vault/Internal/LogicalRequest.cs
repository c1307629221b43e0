using System.Text.Json.Nodes;

namespace OtelLab.Sim.Vault.Internal;

/// <summary>A request as Vault's core sees it: operation, path below <c>/v1/</c>, body fields and client token.</summary>
internal sealed record LogicalRequest(LogicalOperation Operation, string Path, JsonObject Data, string? ClientToken);
