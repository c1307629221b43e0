using Microsoft.Extensions.Hosting;

namespace OtelLab.AppHost.Hosting;

/// <summary>
/// A host lifetime that leaves SIGINT/SIGTERM to the lab's own handling: the first signal cancels the run and the lab
/// stops in reverse order however long that takes; a second one ends the process at once.
/// </summary>
internal sealed class SignalFreeLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
