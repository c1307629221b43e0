using System.Text.RegularExpressions;

namespace OtelLab.Model.Collector;

/// <summary>A collector component id, <c>type[/name]</c> (e.g. <c>otlp/gateway</c>).</summary>
public readonly partial record struct ComponentId(string Type, string? Name)
{
    // upstream: component/identifiable.go — a type is a letter followed by up to 62 letters, digits or underscores.
    [GeneratedRegex("^[a-zA-Z][0-9a-zA-Z_]{0,62}$")]
    private static partial Regex TypePattern();

    public static bool TryParse(string text, out ComponentId id, out string? error)
    {
        id = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var type = slash < 0 ? text.Trim() : text[..slash].Trim();
        var name = slash < 0 ? null : text[(slash + 1)..].Trim();
        if (type.Length == 0)
        {
            error = $"the part before / should not be empty in id \"{text}\"";
            return false;
        }

        if (!TypePattern().IsMatch(type))
        {
            error = $"invalid character(s) in type \"{type}\"";
            return false;
        }

        if (name is { Length: 0 })
        {
            error = $"the part after / should not be empty in id \"{text}\"";
            return false;
        }

        id = new ComponentId(type, name);
        error = null;
        return true;
    }

    public static ComponentId Parse(string text) =>
        TryParse(text, out var id, out var error) ? id : throw new FormatException(error);

    public override string ToString() => Name is null ? Type : $"{Type}/{Name}";
}
