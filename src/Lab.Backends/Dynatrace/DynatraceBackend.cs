using OtelLab.Backends.Capture;
using OtelLab.Backends.Dynatrace.Internal;
using OtelLab.Backends.Faults;
using OtelLab.Backends.Hosting;
using OtelLab.Backends.Hosting.Internal;

namespace OtelLab.Backends.Dynatrace;

/// <summary>
/// A mock Dynatrace environment's OTLP ingest (backends.md): point the collector's otlphttp exporter at
/// <see cref="OtlpEndpoint"/> with header <c>Authorization: Api-Token …</c>. It accepts and rejects what Dynatrace
/// does, records everything in <see cref="Captures"/>, and serves the lab query API under /lab/.
/// </summary>
public sealed class DynatraceBackend : IMockBackend
{
    public const string BackendName = "dynatrace";

    private readonly BackendHost _host;

    internal DynatraceBackend(IEnumerable<(string Token, IReadOnlyList<string> Scopes)> tokens, BackendListenOptions listen)
    {
        Captures = new CaptureStore(BackendName, listen.CapturePerSignal, listen.Time);
        // The faults close and reopen the host, which is built after them: bind through a lambda.
        Faults = new BackendFaults(listen.Time, (period, ct) => _host!.RefuseConnectionsAsync(period, ct));
        var endpoints = new DynatraceOtlpEndpoints(new DynatraceTokens(tokens), Captures, Faults, listen.Time);
        _host = new BackendHost(listen.Address, listen.Port, listen.Time, app =>
        {
            endpoints.Map(app);
            LabQueryEndpoints.Map(app, Captures, Faults);
        });
    }

    public string Name => BackendName;

    public Uri BaseAddress => _host.BaseAddress;

    /// <summary>The otlphttp exporter's <c>endpoint</c>: <c>{base}/api/v2/otlp</c> (it appends /v1/traces etc.).</summary>
    public Uri OtlpEndpoint => new(BaseAddress, DynatraceOtlpEndpoints.BasePath);

    public CaptureStore Captures { get; }

    public BackendFaults Faults { get; }

    public bool IsListening => _host.IsListening;

    public Task StartAsync(CancellationToken cancellationToken = default) => _host.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => _host.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
