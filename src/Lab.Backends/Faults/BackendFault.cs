namespace OtelLab.Backends.Faults;

/// <summary>An active fault: what, until when, and its parameters.</summary>
public sealed record BackendFault(BackendFaultKind Kind, DateTimeOffset Until, TimeSpan RetryAfter, TimeSpan Delay)
{
    /// <summary>The HTTP status answered by a <see cref="BackendFaultKind.Status"/> fault (0 otherwise).</summary>
    public int StatusCode { get; init; }

    public static BackendFault None { get; } = new(BackendFaultKind.None, DateTimeOffset.MinValue, TimeSpan.Zero, TimeSpan.Zero);
}
