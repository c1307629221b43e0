using OtelLab.Sim.Vault;

namespace OtelLab.Scenarios;

/// <summary>What Vault Agent achieved for one pod of the run (files rendered or the reason, secrets never in clear).</summary>
public sealed record VaultInjection(string Namespace, string Pod, string ServiceAccount, AgentInjectionResult Result);
