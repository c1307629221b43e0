using OtelLab.Backends.Capture;
using OtelLab.Backends.Datadog.Internal;
using OtelLab.Backends.Faults;
using OtelLab.Backends.Hosting;
using OtelLab.Backends.Hosting.Internal;

namespace OtelLab.Backends.Datadog;

/// <summary>
/// A mock Datadog intake (backends.md): set the collector's datadog exporter <c>metrics.endpoint</c>,
/// <c>traces.endpoint</c> and <c>logs.endpoint</c> to <see cref="BaseAddress"/> (one host serves all intake paths),
/// <c>api.key</c> to a configured key, and <c>host_metadata.enabled: false</c> as upstream's own tests do.
/// </summary>
public sealed class DatadogBackend : IMockBackend
{
    public const string BackendName = "datadog";

    private readonly BackendHost _host;

    internal DatadogBackend(IEnumerable<string> apiKeys, BackendListenOptions listen)
    {
        Captures = new CaptureStore(BackendName, listen.CapturePerSignal, listen.Time);
        Faults = new BackendFaults(listen.Time, (period, ct) => _host!.RefuseConnectionsAsync(period, ct));
        var endpoints = new DatadogIntakeEndpoints(new DatadogApiKeys(apiKeys), Captures, Faults, listen.Time);
        _host = new BackendHost(listen.Address, listen.Port, listen.Time, app =>
        {
            endpoints.Map(app);
            LabQueryEndpoints.Map(app, Captures, Faults);
        });
    }

    public string Name => BackendName;

    public Uri BaseAddress => _host.BaseAddress;

    public CaptureStore Captures { get; }

    public BackendFaults Faults { get; }

    public bool IsListening => _host.IsListening;

    public Task StartAsync(CancellationToken cancellationToken = default) => _host.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => _host.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
