using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Model.Install;

/// <summary>
/// Helm's values pipeline: the chart's values.yaml, then each <c>--values</c> file, then each <c>--set</c>, merged as
/// Helm merges them, as JSON (the form Helm validates against values.schema.json).
/// </summary>
public static class HelmValues
{
    /// <summary>
    /// The user-supplied values of a release: the <c>--values</c> files merged in order, then every <c>--set</c> applied.
    /// upstream: helm pkg/cli/values/options.go MergeValues — files through mergeMaps, then strvals.ParseInto per --set.
    /// </summary>
    public static JsonObject UserValues(HelmRelease release)
    {
        var values = new JsonObject();
        foreach (var file in release.Values)
        {
            if (!File.Exists(file.Path))
            {
                throw new ManifestException(file.Location, $"values file {file.Path} does not exist", "give a path relative to the scenario folder");
            }

            MergeMaps(values, FromYaml(File.ReadAllText(file.Path), file.Path));
        }

        foreach (var set in release.Set)
        {
            try
            {
                HelmStrvals.ParseInto(set.Expression, values);
            }
            catch (FormatException e)
            {
                throw new ManifestException(set.Location, $"--set {set.Expression}: {e.Message}", "write key=value, a.b=c, list={x,y} or list[0]=x, as helm --set takes them");
            }
        }

        return values;
    }

    /// <summary>
    /// The values a chart renders with: the chart's defaults coalesced under the user's values; a user null deletes the
    /// key. upstream: helm pkg/chartutil/coalesce.go CoalesceValues / coalesceTablesFullKey.
    /// </summary>
    public static JsonObject Coalesce(JsonObject? defaults, JsonObject user)
    {
        var result = (JsonObject)user.DeepClone();
        if (defaults is not null)
        {
            CoalesceTables(result, defaults);
        }

        return result;
    }

    /// <summary>The value at a dotted path, or null.</summary>
    public static JsonNode? At(JsonObject values, params string[] path)
    {
        JsonNode? node = values;
        foreach (var key in path)
        {
            node = node is JsonObject o && o.TryGetPropertyValue(key, out var child) ? child : null;
        }

        return node;
    }

    public static bool IsTrue(JsonObject values, params string[] path) =>
        At(values, path) is JsonValue v && (v.TryGetValue(out bool b) ? b : v.TryGetValue(out string? s) && s == "true");

    public static bool IsFalse(JsonObject values, params string[] path) =>
        At(values, path) is JsonValue v && (v.TryGetValue(out bool b) ? !b : v.TryGetValue(out string? s) && s == "false");

    /// <summary>Reads a values YAML file into JSON the way Helm does (sigs.k8s.io/yaml: YAML → JSON, scalars typed).</summary>
    public static JsonObject FromYaml(string text, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ManifestException(new SourceLocation(file, (int)e.Start.Line, (int)e.Start.Column), $"invalid YAML: {(e.InnerException ?? e).Message}", "check indentation and quoting near this position");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return [];
        }

        return ToJson(stream.Documents[0].RootNode) as JsonObject
            ?? throw new ManifestException(new SourceLocation(file, (int)stream.Documents[0].RootNode.Start.Line, 1), "a values file must be a mapping", "write key: value pairs at the top level");
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain } s => Plain(s.Value ?? ""),
        YamlScalarNode s => JsonValue.Create(s.Value ?? ""),
        _ => null,
    };

    // YAML 1.1 core scalars as go-yaml resolves plain ones (resolve.go): null, bools, ints, floats, else strings.
    private static JsonNode? Plain(string value) => value switch
    {
        "" or "~" or "null" or "Null" or "NULL" => null,
        "true" or "True" or "TRUE" => JsonValue.Create(true),
        "false" or "False" or "FALSE" => JsonValue.Create(false),
        _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
        _ when value.Any(char.IsDigit) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => JsonValue.Create(d),
        _ => JsonValue.Create(value),
    };

    // upstream: helm pkg/cli/values/options.go mergeMaps — maps merge key by key, anything else is replaced.
    private static void MergeMaps(JsonObject into, JsonObject from)
    {
        foreach (var (key, value) in from.ToList())
        {
            if (value is JsonObject src && into[key] is JsonObject dst)
            {
                MergeMaps(dst, src);
            }
            else
            {
                into[key] = value?.DeepClone();
            }
        }
    }

    private static void CoalesceTables(JsonObject dst, JsonObject src)
    {
        foreach (var (key, value) in src)
        {
            if (!dst.TryGetPropertyValue(key, out var mine))
            {
                dst[key] = value?.DeepClone();
            }
            else if (mine is null)
            {
                // a user null removes the chart's default (coalesce.go: "delete the key")
                dst.Remove(key);
            }
            else if (mine is JsonObject mineTable && value is JsonObject srcTable)
            {
                CoalesceTables(mineTable, srcTable);
            }
        }

        foreach (var key in dst.Where(kv => kv.Value is null && !src.ContainsKey(kv.Key)).Select(kv => kv.Key).ToList())
        {
            dst.Remove(key);
        }
    }
}
