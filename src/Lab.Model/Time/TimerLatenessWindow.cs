namespace OtelLab.Model.Time;

/// <summary>How late (wall time) the lab clock's timers fired in one window: count, mean and worst.</summary>
public readonly record struct TimerLatenessWindow(long Fired, TimeSpan Total, TimeSpan Max)
{
    /// <summary>The mean lateness of the window's firings (zero when none fired).</summary>
    public TimeSpan Mean => Fired == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Total.Ticks / Fired);
}
