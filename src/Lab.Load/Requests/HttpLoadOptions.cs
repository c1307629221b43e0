using System.Net;

namespace OtelLab.Load.Requests;

/// <summary>Settings of an <see cref="HttpLoadDriver"/> run.</summary>
public sealed record HttpLoadOptions
{
    /// <summary>The business endpoint, e.g. <c>http://&lt;checkout pod IP&gt;:8080/checkout</c>.</summary>
    public required Uri Url { get; init; }

    /// <summary>Requests started per second (open model).</summary>
    public double RequestsPerSecond { get; init; } = 10;

    /// <summary>Connections leave from this address (a client pod's IP); null: the OS default. Loopback only.</summary>
    public IPAddress? SourceAddress { get; init; }

    public string Body { get; init; } = "{\"items\":1}";

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
