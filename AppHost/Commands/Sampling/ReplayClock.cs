namespace OtelLab.AppHost.Commands.Sampling;

/// <summary>
/// The lab clock of a <c>sampling</c> run: set to each trace's decision instant before its policies vote, so the
/// time-based policies (rate_limiting, bytes_limiting, composite) see the traces spaced as their timestamps say.
/// </summary>
internal sealed class ReplayClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = DateTimeOffset.UnixEpoch;

    public override DateTimeOffset GetUtcNow() => Now;
}
