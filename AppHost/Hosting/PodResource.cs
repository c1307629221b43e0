
namespace OtelLab.AppHost.Hosting;

/// <summary>
/// A pod of the simulated cluster, or a group of them (the target farm), shown by the dashboard under the
/// resource that owns it (its OpenTelemetryCollector, Target Allocator or workload).
/// </summary>
internal sealed class PodResource(string name) : Aspire.Hosting.ApplicationModel.Resource(name)
{
}
