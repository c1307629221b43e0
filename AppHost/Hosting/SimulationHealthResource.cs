namespace OtelLab.AppHost.Hosting;

/// <summary>
/// Whether the simulator keeps its own schedule, as a dashboard resource: its state is Healthy or Behind, its
/// properties the last second's figures (timer lateness, slot waits, thread pool, GC, CPU, timeScale).
/// </summary>
internal sealed class SimulationHealthResource(string name) : Aspire.Hosting.ApplicationModel.Resource(name)
{
}
