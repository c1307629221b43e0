namespace OtelLab.Scenarios.Resources;

/// <summary>What a resource's health check concluded.</summary>
public sealed record HealthCheckResult(bool Healthy, string? Reason)
{
    public static HealthCheckResult Ok { get; } = new(true, null);

    public static HealthCheckResult Unhealthy(string reason) => new(false, reason);
}
