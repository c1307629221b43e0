using System.Globalization;

namespace OtelLab.Model.Go;

/// <summary>
/// Go's <c>strconv.ParseFloat(s, 64)</c> for decimal text (strconv/atof.go): the whole string or nothing — no
/// surrounding space, no thousands separators — and its special values, an optional sign then "inf" or "infinity"
/// in any case, or "nan" in any case without a sign. Hexadecimal floats (<c>0x1p-2</c>), which Go also reads, are not.
/// </summary>
internal static class GoFloat
{
    private const NumberStyles Decimal = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    public static bool TryParse(string text, out double value)
    {
        ArgumentNullException.ThrowIfNull(text);
        var unsigned = text.AsSpan(text.Length > 0 && text[0] is '+' or '-' ? 1 : 0);
        if (unsigned.Equals("inf", StringComparison.OrdinalIgnoreCase) || unsigned.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = text[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        if (unsigned.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return unsigned.Length == text.Length;
        }

        // .NET reads its own symbols ("∞", "-NaN") where Go does not; only digits, sign, point and exponent get here.
        value = 0;
        foreach (var c in unsigned)
        {
            if (!(char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-'))
            {
                return false;
            }
        }

        return double.TryParse(text, Decimal, CultureInfo.InvariantCulture, out value);
    }
}
