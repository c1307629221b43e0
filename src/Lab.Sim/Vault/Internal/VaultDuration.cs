using System.Globalization;
using System.Text.Json.Nodes;
using OtelLab.Model.Go;

namespace OtelLab.Sim.Vault.Internal;

/// <summary>
/// Vault's <c>TypeDurationSecond</c> fields (<c>ttl</c>, <c>max_ttl</c>): a number of seconds, a string of digits,
/// or a Go duration, with <c>d</c> (days) accepted as well.
/// upstream: go-secure-stdlib parseutil.ParseDurationSecond.
/// </summary>
internal static class VaultDuration
{
    public static bool TryParse(JsonNode? node, out TimeSpan duration, out string error)
    {
        duration = TimeSpan.Zero;
        error = string.Empty;
        if (node is null)
        {
            return true;
        }

        if (node is JsonValue value && value.TryGetValue<long>(out var seconds))
        {
            duration = TimeSpan.FromSeconds(seconds);
            return true;
        }

        if (node is JsonValue text && text.TryGetValue<string>(out var s))
        {
            return TryParse(s, out duration, out error);
        }

        error = $"cannot parse '{node.ToJsonString()}' as a duration";
        return false;
    }

    public static bool TryParse(string text, out TimeSpan duration, out string error)
    {
        duration = TimeSpan.Zero;
        error = string.Empty;
        text = text.Trim();
        if (text.Length == 0)
        {
            return true;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            duration = TimeSpan.FromSeconds(seconds);
            return true;
        }

        // parseutil: a trailing "d" is days, converted to hours before time.ParseDuration.
        if (text.EndsWith('d') && long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var days))
        {
            duration = TimeSpan.FromDays(days);
            return true;
        }

        return GoDuration.TryParse(text, out duration, out error);
    }
}
