using System.Globalization;
using OtelLab.Model.Secrets;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Model.Yaml;

/// <summary>
/// Typed reads from a YAML node tree that fail with <c>file:line:column</c>, the field path, what was expected and
/// what was found, the way the API server's field validation reports a bad manifest.
/// </summary>
/// <remarks>
/// <paramref name="lineOffset"/> and <paramref name="columnOffset"/> map positions inside YAML embedded in a string
/// (a v1alpha1 collector <c>config: |</c> block) back to the manifest file.
/// </remarks>
public sealed class YamlReader(string file, int lineOffset = 0, int columnOffset = 0)
{
    public string File { get; } = file;

    public SourceLocation At(YamlNode node) =>
        new(File, (int)node.Start.Line + lineOffset, (int)node.Start.Column + columnOffset);

    public static YamlNode? Child(YamlMappingNode? parent, string key)
    {
        if (parent is null)
        {
            return null;
        }

        foreach (var (k, v) in parent.Children)
        {
            if (k is YamlScalarNode s && s.Value == key)
            {
                return v;
            }
        }

        return null;
    }

    public static YamlScalarNode? KeyNode(YamlMappingNode? parent, string key)
    {
        if (parent is null)
        {
            return null;
        }

        foreach (var k in parent.Children.Keys)
        {
            if (k is YamlScalarNode s && s.Value == key)
            {
                return s;
            }
        }

        return null;
    }

    /// <summary>True for an explicit YAML null (<c>~</c>, <c>null</c> or an empty value).</summary>
    public static bool IsNull(YamlNode? node) =>
        node is null || (node is YamlScalarNode s && s.Style == YamlDotNet.Core.ScalarStyle.Plain &&
                         (s.Value is null or "" or "~" or "null" or "Null" or "NULL"));

    public YamlMappingNode? Mapping(YamlMappingNode? parent, string key, string path)
    {
        var node = Child(parent, key);
        if (IsNull(node))
        {
            return null;
        }

        return node as YamlMappingNode ?? throw TypeError(node!, path, "a mapping (key: value pairs)");
    }

    public YamlSequenceNode? Sequence(YamlMappingNode? parent, string key, string path)
    {
        var node = Child(parent, key);
        if (IsNull(node))
        {
            return null;
        }

        return node as YamlSequenceNode ?? throw TypeError(node!, path, "a list");
    }

    public string? String(YamlMappingNode? parent, string key, string path)
    {
        var node = Child(parent, key);
        if (IsNull(node))
        {
            return null;
        }

        return node is YamlScalarNode s ? s.Value : throw TypeError(node!, path, "a string");
    }

    public bool? Bool(YamlMappingNode? parent, string key, string path)
    {
        var node = Child(parent, key);
        if (IsNull(node))
        {
            return null;
        }

        if (node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s)
        {
            switch (s.Value)
            {
                case "true" or "True" or "TRUE": return true;
                case "false" or "False" or "FALSE": return false;
            }
        }

        throw TypeError(node!, path, "a boolean (true or false)");
    }

    public int? Int(YamlMappingNode? parent, string key, string path)
    {
        var node = Child(parent, key);
        if (IsNull(node))
        {
            return null;
        }

        if (node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s &&
            int.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        throw TypeError(node!, path, "an integer");
    }

    /// <summary>
    /// Reads a string constrained to an enum; the message lists the allowed values the way the API server's CRD
    /// validation does (<c>Unsupported value: "x": supported values: "a", "b"</c>).
    /// </summary>
    public string? Enum(YamlMappingNode? parent, string key, string path, IReadOnlyList<string> allowed)
    {
        var value = String(parent, key, path);
        if (value is null || allowed.Contains(value, StringComparer.Ordinal))
        {
            return value;
        }

        var supported = string.Join(", ", allowed.Select(a => $"\"{a}\""));
        var near = allowed.OrderBy(a => Levenshtein(a, value)).First();
        throw new ManifestException(
            At(Child(parent, key)!),
            $"{path}: Unsupported value: \"{value}\": supported values: {supported}",
            $"did you mean \"{near}\"?");
    }

    public IReadOnlyList<string> StringList(YamlMappingNode? parent, string key, string path)
    {
        var seq = Sequence(parent, key, path);
        if (seq is null)
        {
            return [];
        }

        var list = new List<string>(seq.Children.Count);
        for (var i = 0; i < seq.Children.Count; i++)
        {
            list.Add(seq.Children[i] is YamlScalarNode s && s.Value is not null
                ? s.Value
                : throw TypeError(seq.Children[i], $"{path}[{i}]", "a string"));
        }

        return list;
    }

    public IReadOnlyDictionary<string, string> StringMap(YamlMappingNode? parent, string key, string path)
    {
        var map = Mapping(parent, key, path);
        if (map is null)
        {
            return new Dictionary<string, string>();
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            var name = ((YamlScalarNode)k).Value ?? string.Empty;
            result[name] = v is YamlScalarNode s
                ? s.Value ?? string.Empty
                : throw TypeError(v, $"{path}.{name}", "a string");
        }

        return result;
    }

    public ManifestException TypeError(YamlNode node, string path, string expected) =>
        new(At(node), $"{path}: expected {expected}, found {(node is YamlScalarNode { Value: { } v } && CredentialFields.IsCredentialPath(path) ? $"\"{CredentialMask.Mask(v)}\"" : Describe(node))}",
            $"change {path} to {expected}");

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s => $"\"{s.Value}\"",
        _ => "an alias",
    };

    private static int Levenshtein(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            }
        }

        return d[a.Length, b.Length];
    }
}
