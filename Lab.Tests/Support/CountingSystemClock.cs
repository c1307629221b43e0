namespace OtelLab.Tests.Support;

/// <summary>The system clock, counting its timestamp reads: a loop that waits on it by spinning reads it thousands of times.</summary>
public sealed class CountingSystemClock : TimeProvider
{
    private long _reads;

    public long TimestampReads => Interlocked.Read(ref _reads);

    public override long TimestampFrequency => System.TimestampFrequency;

    public override long GetTimestamp()
    {
        Interlocked.Increment(ref _reads);
        return System.GetTimestamp();
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(callback, state, dueTime, period);
}
