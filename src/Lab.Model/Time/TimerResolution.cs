namespace OtelLab.Model.Time;

/// <summary>
/// What the runtime's timers can wait: whole milliseconds. <c>Timer</c> takes <c>(long)dueTime.TotalMilliseconds</c>
/// and <c>Task.Delay(TimeSpan, TimeProvider)</c> the same whole milliseconds, completing at once when that is zero
/// (dotnet/runtime Timer.cs, Task.cs), so a wait of 0.6 ms ends at once: a pacing loop that waits for its next slot that
/// way goes round again, reading the clock, until the slot comes — a busy loop.
/// </summary>
public static class TimerResolution
{
    /// <summary><paramref name="wait"/> rounded up to whole milliseconds (zero when not positive): a wait for it never ends early.</summary>
    public static TimeSpan RoundUp(TimeSpan wait) => RoundUp((double)wait.Ticks);

    /// <summary>A wait of <paramref name="ticks"/> (fractional) rounded up to whole milliseconds (zero when not positive).</summary>
    public static TimeSpan RoundUp(double ticks) =>
        ticks <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)Math.Ceiling(ticks / TimeSpan.TicksPerMillisecond) * TimeSpan.TicksPerMillisecond);
}
