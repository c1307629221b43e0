namespace OtelLab.Load.Traces;

/// <summary>Settings of a <see cref="TraceLoad"/> run.</summary>
public sealed record TraceLoadOptions
{
    /// <summary>The services a trace crosses, in call order (span k belongs to service k mod count).</summary>
    public required IReadOnlyList<EmulatedService> Services { get; init; }

    /// <summary>Traces started per second (open model: the schedule does not wait for sends).</summary>
    public double TracesPerSecond { get; init; } = 100;

    /// <summary>Spans per trace, parented in a chain across the services.</summary>
    public int SpansPerTrace { get; init; } = 5;

    /// <summary>Name of each trace's root span (the front service's server span).</summary>
    public string RootSpanName { get; init; } = "POST /checkout";

    /// <summary>Fraction of traces with an ERROR span.</summary>
    public double ErrorRatio { get; init; }

    /// <summary>Fraction of the non-error traces whose root lasts <see cref="SlowDuration"/>.</summary>
    public double SlowRatio { get; init; }

    public TimeSpan SlowDuration { get; init; } = TimeSpan.FromMilliseconds(750);

    /// <summary>Duration of a baseline trace's root span.</summary>
    public TimeSpan BaselineDuration { get; init; } = TimeSpan.FromMilliseconds(40);

    public OtlpProtocol Protocol { get; init; } = OtlpProtocol.Grpc;

    /// <summary>Spans per export request (per service); a partial batch goes out after <see cref="BatchTimeout"/>.</summary>
    public int BatchSize { get; init; } = 512;

    public TimeSpan BatchTimeout { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Spans waiting per service before new ones are dropped (counted, never blocking the schedule).</summary>
    public int QueueCapacity { get; init; } = 100_000;

    public TimeSpan ExportTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Seed for ids and class picks (reproducible runs).</summary>
    public int Seed { get; init; } = 1;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        if (Services is null || Services.Count == 0)
        {
            throw new ArgumentException("trace load needs at least one service", nameof(Services));
        }

        foreach (var s in Services.Where(s => !System.Net.IPAddress.IsLoopback(s.PodAddress)))
        {
            throw new ArgumentException($"service {s.Name}: pod address {s.PodAddress} is not loopback (the lab only uses 127.0.0.0/8)", nameof(Services));
        }

        if (TracesPerSecond <= 0 || double.IsNaN(TracesPerSecond) || SpansPerTrace < 1 || BatchSize < 1 || QueueCapacity < 1)
        {
            throw new ArgumentException("TracesPerSecond must be > 0; SpansPerTrace, BatchSize and QueueCapacity >= 1");
        }

        if (ErrorRatio is < 0 or > 1 || SlowRatio is < 0 or > 1)
        {
            throw new ArgumentException("ErrorRatio and SlowRatio must be within [0, 1]");
        }
    }
}
