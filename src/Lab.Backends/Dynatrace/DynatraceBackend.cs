using OtelLab.Backends.Capture;
using OtelLab.Backends.Dynatrace.Internal;
using OtelLab.Backends.Faults;
using OtelLab.Backends.Hosting;
using OtelLab.Backends.Hosting.Internal;
using OtelLab.Model.Diagnostics;

namespace OtelLab.Backends.Dynatrace;

/// <summary>
/// A mock Dynatrace environment's OTLP ingest (backends.md): point the collector's otlphttp exporter at
/// <see cref="OtlpEndpoint"/> with header <c>Authorization: Api-Token …</c>. It accepts and rejects what Dynatrace
/// does, records everything in <see cref="Captures"/>, and serves the lab query API under /lab/.
/// </summary>
public sealed class DynatraceBackend : IMockBackend
{
    public const string BackendName = "dynatrace";

    private readonly BackendRuntime _runtime;

    internal DynatraceBackend(IEnumerable<(string Token, IReadOnlyList<string> Scopes)> tokens, BackendListenOptions listen)
    {
        var known = new DynatraceTokens(tokens);
        _runtime = new BackendRuntime(BackendName, listen, (app, captures, faults) =>
            new DynatraceOtlpEndpoints(known, captures, faults, listen.Time).Map(app));
    }

    public string Name => BackendName;

    public Uri BaseAddress => _runtime.BaseAddress;

    /// <summary>The otlphttp exporter's <c>endpoint</c>: <c>{base}/api/v2/otlp</c> (it appends /v1/traces etc.).</summary>
    public Uri OtlpEndpoint => new(BaseAddress, DynatraceOtlpEndpoints.BasePath);

    public CaptureStore Captures => _runtime.Captures;

    public BackendFaults Faults => _runtime.Faults;

    public ComponentCpu Cpu => _runtime.Cpu;

    public bool IsListening => _runtime.IsListening;

    public Task StartAsync(CancellationToken cancellationToken = default) => _runtime.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => _runtime.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _runtime.DisposeAsync();
}
