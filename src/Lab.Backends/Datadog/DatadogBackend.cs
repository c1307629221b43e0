using OtelLab.Backends.Capture;
using OtelLab.Backends.Datadog.Internal;
using OtelLab.Backends.Faults;
using OtelLab.Backends.Hosting;
using OtelLab.Backends.Hosting.Internal;
using OtelLab.Model.Diagnostics;

namespace OtelLab.Backends.Datadog;

/// <summary>
/// A mock Datadog intake (backends.md): set the collector's datadog exporter <c>metrics.endpoint</c>,
/// <c>traces.endpoint</c> and <c>logs.endpoint</c> to <see cref="BaseAddress"/> (one host serves all intake paths),
/// <c>api.key</c> to a configured key, and <c>host_metadata.enabled: false</c> as upstream's own tests do.
/// </summary>
public sealed class DatadogBackend : IMockBackend
{
    public const string BackendName = "datadog";

    private readonly BackendRuntime _runtime;

    internal DatadogBackend(IEnumerable<string> apiKeys, BackendListenOptions listen)
    {
        var keys = new DatadogApiKeys(apiKeys);
        _runtime = new BackendRuntime(BackendName, listen, (app, captures, faults) =>
            new DatadogIntakeEndpoints(keys, captures, faults, listen.Time).Map(app));
    }

    public string Name => BackendName;

    public Uri BaseAddress => _runtime.BaseAddress;

    public CaptureStore Captures => _runtime.Captures;

    public BackendFaults Faults => _runtime.Faults;

    public ComponentCpu Cpu => _runtime.Cpu;

    public bool IsListening => _runtime.IsListening;

    public Task StartAsync(CancellationToken cancellationToken = default) => _runtime.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => _runtime.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _runtime.DisposeAsync();
}
