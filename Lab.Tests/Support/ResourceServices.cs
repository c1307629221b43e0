using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;

namespace OtelLab.Tests.Support;

/// <summary>Aspire's resource notification and logger services as the AppHost has them, without an app model around them.</summary>
internal sealed class ResourceServices : IDisposable
{
    private readonly ServiceProvider _provider = new ServiceCollection().BuildServiceProvider();

    public ResourceServices() =>
        Notifications = new(NullLogger<ResourceNotificationService>.Instance, new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance), _provider, Loggers);

    public ResourceLoggerService Loggers { get; } = new();

    public ResourceNotificationService Notifications { get; }

    public IServiceProvider Provider => _provider;

    /// <summary>The resource's current snapshot; fails naming the resource when it was never published.</summary>
    public CustomResourceSnapshot Snapshot(string name) =>
        Notifications.TryGetCurrentState(name, out var e) ? e.Snapshot : throw new InvalidOperationException($"resource {name} was never published");

    public static string? Property(CustomResourceSnapshot snapshot, string name) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == name)?.Value?.ToString();

    public void Dispose()
    {
        Notifications.Dispose();
        _provider.Dispose();
    }
}
