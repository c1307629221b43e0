namespace OtelLab.Sim.Vault.Internal;

/// <summary>
/// One <c>path "…" { capabilities = [...] }</c> rule. <see cref="Path"/> has a trailing glob stripped when
/// <see cref="IsPrefix"/>; a rule with <c>+</c> segments keeps its trailing <c>*</c> (upstream does the same).
/// </summary>
internal sealed record PolicyPath(string Path, Capability Capabilities, bool IsPrefix, bool HasSegmentWildcards);
