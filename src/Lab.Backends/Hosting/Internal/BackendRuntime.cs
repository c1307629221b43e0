using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OtelLab.Backends.Capture;
using OtelLab.Backends.Faults;
using OtelLab.Model.Diagnostics;

namespace OtelLab.Backends.Hosting.Internal;

/// <summary>
/// What both mock vendors are made of: a capture store, fault controls and a loopback host serving the vendor's
/// ingest endpoints plus the lab query API. The vendor classes add only their endpoints and vendor-specific facts.
/// </summary>
internal sealed class BackendRuntime : IAsyncDisposable
{
    private readonly BackendHost _host;

    public BackendRuntime(string name, BackendListenOptions listen, Action<WebApplication, CaptureStore, BackendFaults> mapIngest)
    {
        Captures = new CaptureStore(name, listen.CapturePerSignal, listen.Time);
        // The faults close and reopen the host, which is built after them: bind through a lambda.
        Faults = new BackendFaults(listen.Time, (period, ct) => _host!.RefuseConnectionsAsync(period, ct));
        _host = new BackendHost(listen.Address, listen.Port, listen.Time, app =>
        {
            mapIngest(app, Captures, Faults);
            LabQueryEndpoints.Map(app, Captures, Faults);
            // A path the vendor mock does not serve is a protocol mismatch worth seeing: 404, recorded (path only,
            // never the query string, which may carry a token).
            app.MapFallback(context =>
            {
                Captures.AddRejection(IngestResponses.Rejection(Captures, Signal.Other, StatusCodes.Status404NotFound, "UNKNOWN_PATH",
                    $"{context.Request.Method} {context.Request.Path}", CredentialFingerprint.None), wholeRequest: true);
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        }) { Cpu = new ComponentCpu(name + "-mock") };
    }

    public ComponentCpu Cpu => _host.Cpu;

    public CaptureStore Captures { get; }

    public BackendFaults Faults { get; }

    public Uri BaseAddress => _host.BaseAddress;

    public bool IsListening => _host.IsListening;

    public Task StartAsync(CancellationToken cancellationToken) => _host.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => _host.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
