namespace OtelLab.Backends.Faults;

/// <summary>An active fault: what, until when, and its parameters.</summary>
public sealed record BackendFault(BackendFaultKind Kind, DateTimeOffset Until, TimeSpan RetryAfter, TimeSpan Delay)
{
    public static BackendFault None { get; } = new(BackendFaultKind.None, DateTimeOffset.MinValue, TimeSpan.Zero, TimeSpan.Zero);
}
