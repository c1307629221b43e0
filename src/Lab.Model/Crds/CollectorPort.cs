namespace OtelLab.Model.Crds;

/// <summary>An entry of <c>spec.ports</c> (a ServicePort plus <c>hostPort</c>, the only way a hostPort is set).</summary>
public sealed record CollectorPort(string? Name, int Port, int? HostPort, string Protocol);
