using System.Globalization;
using System.Text.Json;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal.Ottl;

/// <summary>
/// pkg/ottl StandardStringLikeGetter, what <c>IsMatch</c> reads its target with: strings as they are, bytes as hex,
/// maps and slices as JSON, anything else through Go's <c>fmt.Sprintf("%v")</c>; nil stays nil (IsMatch is then false).
/// </summary>
internal static class OttlStringLike
{
    public static string? From(OttlValue value) => value.Kind switch
    {
        OttlValueKind.Nil => null,
        OttlValueKind.String => value.String,
        OttlValueKind.Int => value.Int.ToString(CultureInfo.InvariantCulture),
        OttlValueKind.Bool => value.Bool ? "true" : "false",
        OttlValueKind.Double => GoFloat(value.Double),
        OttlValueKind.Bytes => Convert.ToHexStringLower(value.Bytes ?? []),
        _ => JsonSerializer.Serialize(ToJson(value.Container)),
    };

    /// <summary>Go <c>%v</c> of a float64: shortest digits, exponent form when the exponent is &lt; -4 or ≥ 6.</summary>
    public static string GoFloat(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }

        var sign = value < 0 || (value == 0 && double.IsNegative(value)) ? "-" : string.Empty;
        var (digits, pointAt) = ShortestDigits(Math.Abs(value));
        var exponent = pointAt - 1;
        if (exponent < -4 || exponent >= 6)
        {
            var mantissa = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
            var e = exponent < 0 ? "-" : "+";
            return $"{sign}{mantissa}e{e}{Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture)}";
        }

        var text = pointAt <= 0
            ? "0." + new string('0', -pointAt) + digits
            : pointAt >= digits.Length ? digits + new string('0', pointAt - digits.Length) : digits[..pointAt] + "." + digits[pointAt..];
        return sign + text;
    }

    // The shortest round-trip digits (no leading/trailing zeros) and where the decimal point goes.
    private static (string Digits, int PointAt) ShortestDigits(double value)
    {
        if (value == 0)
        {
            return ("0", 1);
        }

        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        var ePos = shortest.IndexOf('E', StringComparison.Ordinal);
        var mantissa = ePos < 0 ? shortest : shortest[..ePos];
        var exp10 = ePos < 0 ? 0 : int.Parse(shortest[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot < 0 ? mantissa : mantissa[..dot];
        var all = intPart + (dot < 0 ? string.Empty : mantissa[(dot + 1)..]);
        var pointAt = intPart.Length + exp10;
        var trimmedLeft = all.TrimStart('0');
        pointAt -= all.Length - trimmedLeft.Length;
        return (trimmedLeft.TrimEnd('0'), pointAt);
    }

    private static object? ToJson(AttributeValue value) => value.Kind switch
    {
        AttributeValueKind.String => value.Str,
        AttributeValueKind.Int => value.Int,
        AttributeValueKind.Double => value.Double,
        AttributeValueKind.Bool => value.Bool,
        AttributeValueKind.Bytes => Convert.ToBase64String(value.Bytes.Span),
        AttributeValueKind.Array => value.Array.Select(ToJson).ToList(),
        AttributeValueKind.Map => value.Map.ToDictionary(kv => kv.Key, kv => ToJson(kv.Value)),
        _ => null,
    };
}
