namespace OtelLab.Sim.Vault.Internal.Templates;

/// <summary>A JSON number kept as its literal text, like Go's <c>json.Number</c>.</summary>
internal sealed record GoNumber(string Text);
