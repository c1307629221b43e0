using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace OtelLab.Sim.Vault.Internal.Templates;

/// <summary>
/// How template data looks to Go: JSON objects are <c>map[string]interface{}</c> (printed and ranged in sorted key
/// order), numbers are <c>json.Number</c> (printed as written), a missing map key is "no value", structs are
/// <see cref="GoStruct"/>. Printing follows fmt's <c>%v</c>: <c>map[k:v …]</c>, <c>[a b]</c>, nested nil as
/// <c>&lt;nil&gt;</c>, and a nil or missing value at the top of an action as <c>&lt;no value&gt;</c>.
/// upstream: go/src/text/template/exec.go (printValue, printableValue, truth, missingkey) and go/src/fmt/print.go;
/// hashicorp/vault api ParseSecret (UseNumber), consul-template dependency.Secret.
/// </summary>
internal static class GoValue
{
    /// <summary>An invalid reflect.Value: what a missing map key evaluates to.</summary>
    public static readonly object NoValue = new NoValueMarker();

    public static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => new SortedDictionary<string, object?>(obj.ToDictionary(kv => kv.Key, kv => FromJson(kv.Value)), StringComparer.Ordinal),
        JsonArray array => array.Select(FromJson).ToList(),
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        JsonValue value when value.TryGetValue<bool>(out var b) => b,
        _ => new GoNumber(node.ToJsonString()),
    };

    /// <summary>Text for <c>{{ value }}</c>.</summary>
    public static string Print(object? value) => value is null || ReferenceEquals(value, NoValue) ? "<no value>" : Format(value);

    /// <summary>Go template truth: false, 0, nil, empty string/map/slice are false.</summary>
    public static bool IsTrue(object? value) => value switch
    {
        null => false,
        NoValueMarker => false,
        bool b => b,
        string s => s.Length > 0,
        long n => n != 0,
        GoNumber n => n.Text is not ("0" or "0.0"),
        IReadOnlyDictionary<string, object?> map => map.Count > 0,
        IReadOnlyList<object?> list => list.Count > 0,
        _ => true,
    };

    public static string TypeName(object? value) => value switch
    {
        null or NoValueMarker => "interface {}",
        string => "string",
        bool => "bool",
        long => "int",
        GoNumber => "json.Number",
        IReadOnlyDictionary<string, object?> => "map[string]interface {}",
        IReadOnlyList<object?> => "[]interface {}",
        GoStruct s => s.TypeName,
        _ => value.GetType().Name,
    };

    private static string Format(object? value)
    {
        switch (value)
        {
            case null or NoValueMarker:
                return "<nil>";
            case string s:
                return s;
            case bool b:
                return b ? "true" : "false";
            case long n:
                return n.ToString(CultureInfo.InvariantCulture);
            case GoNumber n:
                return n.Text;
            case IReadOnlyDictionary<string, object?> map:
                var sb = new StringBuilder("map[");
                var first = true;
                foreach (var (k, v) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    sb.Append(first ? string.Empty : " ").Append(k).Append(':').Append(Format(v));
                    first = false;
                }

                return sb.Append(']').ToString();
            case IReadOnlyList<object?> list:
                return "[" + string.Join(' ', list.Select(Format)) + "]";
            case GoStruct st:
                return "&{" + string.Join(' ', st.Fields.Select(f => Format(f.Value))) + "}";
            default:
                return Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        }
    }

    private sealed class NoValueMarker;
}
