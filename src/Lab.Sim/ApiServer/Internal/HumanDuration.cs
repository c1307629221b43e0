using System.Globalization;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// The AGE column's text. upstream: apimachinery pkg/util/duration/duration.go HumanDuration (what the printers'
/// translateTimestampSince uses): seconds under 2 minutes, then minutes (with seconds under 10 minutes), hours, days, years.
/// </summary>
internal static class HumanDuration
{
    public static string Format(TimeSpan d)
    {
        var seconds = (long)Math.Floor(d.TotalSeconds);
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 60 * 2)
        {
            return S($"{seconds}s");
        }

        var minutes = seconds / 60;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? S($"{minutes}m") : S($"{minutes}m{s}s");
        }

        if (minutes < 60 * 3)
        {
            return S($"{minutes}m");
        }

        var hours = minutes / 60;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? S($"{hours}h") : S($"{hours}h{m}m");
        }

        if (hours < 48)
        {
            return S($"{hours}h");
        }

        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? S($"{hours / 24}d") : S($"{hours / 24}d{h}h");
        }

        if (hours < 24 * 365 * 2)
        {
            return S($"{hours / 24}d");
        }

        if (hours < 24 * 365 * 8)
        {
            var dy = hours / 24 % 365;
            return dy == 0 ? S($"{hours / 24 / 365}y") : S($"{hours / 24 / 365}y{dy}d");
        }

        return S($"{hours / 24 / 365}y");
    }

    private static string S(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
