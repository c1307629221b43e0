namespace OtelLab.Scenarios.Resources;

/// <summary>Aspire-style behaviour on resources: <c>.WaitFor(x)</c>, <c>.WithHealthCheck(…)</c>.</summary>
public static class LabResourceExtensions
{
    /// <summary>Starts <paramref name="resource"/> only once <paramref name="dependency"/> is healthy; blocks it when the dependency fails.</summary>
    public static LabResource WaitFor(this LabResource resource, LabResource dependency)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(dependency);
        if (ReferenceEquals(resource, dependency) || DependsOn(dependency, resource))
        {
            throw new InvalidOperationException($"resource '{resource.Name}' cannot wait for '{dependency.Name}': that would be a cycle");
        }

        resource.AddWaitFor(dependency);
        return resource;
    }

    public static LabResource WaitFor(this LabResource resource, params LabResource[] dependencies)
    {
        ArgumentNullException.ThrowIfNull(dependencies);
        foreach (var d in dependencies)
        {
            resource.WaitFor(d);
        }

        return resource;
    }

    /// <summary>The resource is Running only once <paramref name="check"/> says healthy within <paramref name="timeout"/>.</summary>
    public static LabResource WithHealthCheck(this LabResource resource, ResourceHealthCheck check, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        resource.HealthCheck = check;
        if (timeout is { } t)
        {
            resource.HealthTimeout = t;
        }

        return resource;
    }

    private static bool DependsOn(LabResource resource, LabResource target) =>
        resource.WaitsFor.Any(d => ReferenceEquals(d, target) || DependsOn(d, target));
}
