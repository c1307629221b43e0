using System.Net;

namespace OtelLab.Backends.Hosting;

/// <summary>Where and how a mock backend listens and keeps captures (shared by the Dynatrace and Datadog builders).</summary>
public sealed record BackendListenOptions
{
    /// <summary>A 127.0.0.0/8 address (validated at start).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>0 = any free port (read the bound one from the backend's BaseAddress).</summary>
    public int Port { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public int CapturePerSignal { get; init; } = Capture.CaptureStore.DefaultCapacityPerSignal;
}
