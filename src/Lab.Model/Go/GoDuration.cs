using System.Globalization;

namespace OtelLab.Model.Go;

/// <summary>
/// Go's <c>time.ParseDuration</c> (what mapstructure's StringToTimeDurationHookFunc calls for <c>decision_wait</c>),
/// including its error texts. Precision: whole nanoseconds, like Go.
/// </summary>
public static class GoDuration
{
    private static readonly (string Unit, decimal Nanos)[] Units =
    [
        ("ns", 1m), ("us", 1_000m), ("µs", 1_000m), ("μs", 1_000m), ("ms", 1_000_000m),
        ("s", 1_000_000_000m), ("m", 60_000_000_000m), ("h", 3_600_000_000_000m),
    ];

    public static bool TryParse(string text, out TimeSpan duration, out string error)
    {
        duration = TimeSpan.Zero;
        error = string.Empty;
        var quoted = "\"" + text + "\"";
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s is "0")
        {
            return true;
        }

        if (s.IsEmpty)
        {
            error = "time: invalid duration " + quoted;
            return false;
        }

        decimal total = 0;
        while (!s.IsEmpty)
        {
            var i = 0;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            var number = s[..i];
            if (number.IsEmpty || number is "." || number.Count('.') > 1
                || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                error = "time: invalid duration " + quoted;
                return false;
            }

            s = s[i..];
            var u = 0;
            while (u < s.Length && s[u] != '.' && !char.IsAsciiDigit(s[u]))
            {
                u++;
            }

            if (u == 0)
            {
                error = "time: missing unit in duration " + quoted;
                return false;
            }

            var unit = s[..u].ToString();
            var match = Array.FindIndex(Units, x => x.Unit == unit);
            if (match < 0)
            {
                error = "time: unknown unit \"" + unit + "\" in duration " + quoted;
                return false;
            }

            total += value * Units[match].Nanos;
            s = s[u..];
        }

        // Go: overflow past 1<<63-1 ns is "time: invalid duration".
        if (total > long.MaxValue)
        {
            error = "time: invalid duration " + quoted;
            return false;
        }

        var nanos = (long)decimal.Truncate(total);
        duration = TimeSpan.FromTicks((negative ? -nanos : nanos) / 100);
        return true;
    }
}
