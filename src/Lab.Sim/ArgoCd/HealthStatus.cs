namespace OtelLab.Sim.ArgoCd;

/// <summary>
/// Argo CD's health codes, best to worst (gitops-engine pkg/health/health.go healthOrder): an Application's health is
/// the worst of its resources' (controller/health.go setApplicationHealth).
/// </summary>
public enum HealthStatus
{
    Healthy,
    Suspended,
    Progressing,
    Missing,
    Degraded,
    Unknown,
}

/// <summary>A resource's health and why.</summary>
public sealed record HealthResult(HealthStatus Status, string Message = "");
