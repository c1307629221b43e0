using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OtelLab.Sim.ApiServer.Internal.Admission;

/// <summary>
/// One validation error as apimachinery's field.Error: the cause <c>reason</c> (its ErrorType), the field path and
/// the body <c>Unsupported value: "x": supported values: "a", "b"</c>.
/// upstream: apimachinery pkg/util/validation/field/errors.go (Error.ErrorBody, NotSupported, Required, Invalid, TypeInvalid).
/// </summary>
internal sealed record FieldError(string Reason, string Field, string Body)
{
    public string Message => $"{Field}: {Body}";

    public static FieldError Required(string field) => new("FieldValueRequired", field, "Required value");

    public static FieldError NotSupported(string field, JsonNode? value, IEnumerable<string> supported) =>
        new("FieldValueNotSupported", field, $"Unsupported value: {GoValue(value)}: supported values: {string.Join(", ", supported.Select(GoQuote))}");

    public static FieldError Invalid(string field, JsonNode? value, string detail) =>
        new("FieldValueInvalid", field, $"Invalid value: {GoValue(value)}: {detail}");

    /// <summary>ErrorTypeTypeInvalid prints as "Invalid value" too; its reason differs.</summary>
    public static FieldError TypeInvalid(string field, JsonNode? value, string detail) =>
        new("FieldValueTypeInvalid", field, $"Invalid value: {GoValue(value)}: {detail}");

    /// <summary>How ErrorBody prints a bad value: %q for strings, %v for numbers and booleans, "null" for nil.</summary>
    public static string GoValue(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => GoQuote(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValueKind() == JsonValueKind.True ? "true" : "false",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => GoNumber(v),
        _ => value.ToJsonString(),
    };

    /// <summary>Go's strconv.Quote for the characters manifests hold.</summary>
    public static string GoQuote(string text)
    {
        var b = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            b.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                < ' ' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return b.Append('"').ToString();
    }

    private static string GoNumber(JsonValue v) =>
        v.TryGetValue<long>(out var l) ? l.ToString(CultureInfo.InvariantCulture)
        : v.GetValue<double>().ToString("R", CultureInfo.InvariantCulture).Replace("E+", "e+", StringComparison.Ordinal).Replace("E-", "e-", StringComparison.Ordinal);
}
