using Microsoft.Extensions.Hosting;
using OtelLab.Scenarios;

namespace OtelLab.AppHost.Hosting;

/// <summary>Stops the simulated substrate in reverse start order when the Aspire host stops, however it is hosted.</summary>
internal sealed class SimLabLifetime(SimLab lab) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken) => await lab.DisposeAsync().ConfigureAwait(false);
}
