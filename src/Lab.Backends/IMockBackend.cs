using OtelLab.Backends.Capture;
using OtelLab.Backends.Faults;
using OtelLab.Model.Diagnostics;

namespace OtelLab.Backends;

/// <summary>What every mock vendor backend offers the lab: an address, its captures, its fault controls, a lifetime.</summary>
public interface IMockBackend : IAsyncDisposable
{
    /// <summary>Short name (<c>dynatrace</c>, <c>datadog</c>), also the capture store's backend name.</summary>
    string Name { get; }

    /// <summary>http://127.x.y.z:port/ once started (the bound port when 0 was asked for).</summary>
    Uri BaseAddress { get; }

    CaptureStore Captures { get; }

    BackendFaults Faults { get; }

    /// <summary>The CPU time its request handling used (see <see cref="ComponentCpu"/>).</summary>
    ComponentCpu Cpu { get; }

    /// <summary>True while the listener is open (false during a refuse-connections fault).</summary>
    bool IsListening { get; }

    Task StartAsync(CancellationToken cancellationToken = default);

    Task StopAsync(CancellationToken cancellationToken = default);
}
