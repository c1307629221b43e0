using System.Text;
using System.Text.RegularExpressions;
using OtelLab.Sim.Collector.Pipeline;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Sim.Collector.Runtime.Internal;

/// <summary>
/// confmap's expansion of <c>${scheme:value}</c> in config scalars, before any component sees its settings.
/// upstream: confmap/expand.go (<c>$$</c> escapes <c>$</c>; bare <c>${VAR}</c> uses the default scheme <c>env</c>;
/// <c>scheme "x" is not supported for uri "x:y"</c>); confmap/provider/envprovider/provider.go (name regex
/// <c>^[a-zA-Z_][a-zA-Z0-9_]*$</c>, <c>:-default</c>, warning <c>Configuration references unset environment variable</c>
/// and an empty value); confmap/provider/fileprovider/provider.go (<c>unable to read the file %v: %w</c>; the content
/// is parsed as YAML, so a file holding just a token yields that token).
/// </summary>
internal sealed partial class ConfigExpander(
    IReadOnlyList<KeyValuePair<string, string>> environment, Func<string, string?> readFile, CollectorLog log)
{
    [GeneratedRegex(@"\$\$|\$\{(?<uri>[^}]*)\}")]
    private static partial Regex Reference();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex EnvName();

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9+.-]*$")]
    private static partial Regex Scheme();

    public void Expand(YamlNode node)
    {
        switch (node)
        {
            case YamlScalarNode { Value: { } value } scalar when value.Contains('$', StringComparison.Ordinal):
                scalar.Value = ExpandText(value);
                break;
            case YamlMappingNode map:
                foreach (var (_, child) in map.Children)
                {
                    Expand(child);
                }

                break;
            case YamlSequenceNode seq:
                foreach (var child in seq.Children)
                {
                    Expand(child);
                }

                break;
        }
    }

    private string ExpandText(string text)
    {
        var output = new StringBuilder();
        var last = 0;
        foreach (Match m in Reference().Matches(text))
        {
            output.Append(text, last, m.Index - last);
            output.Append(m.Value == "$$" ? "$" : Resolve(m.Groups["uri"].Value));
            last = m.Index + m.Length;
        }

        output.Append(text, last, text.Length - last);
        return output.ToString();
    }

    private string Resolve(string uri)
    {
        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        var hasScheme = colon > 0 && Scheme().IsMatch(uri[..colon]);
        var scheme = hasScheme ? uri[..colon] : "env";
        var rest = hasScheme ? uri[(colon + 1)..] : uri;
        return scheme switch
        {
            "env" => Env(rest),
            "file" => File(rest),
            _ => throw new CollectorStartException($"scheme \"{scheme}\" is not supported for uri \"{uri}\""),
        };
    }

    private string Env(string selector)
    {
        string? fallback = null;
        var sep = selector.IndexOf(":-", StringComparison.Ordinal);
        var name = selector;
        if (sep >= 0)
        {
            name = selector[..sep];
            fallback = selector[(sep + 2)..];
        }

        if (!EnvName().IsMatch(name))
        {
            throw new CollectorStartException($"environment variable \"{name}\" has invalid name: must match regex ^[a-zA-Z_][a-zA-Z0-9_]*$");
        }

        // The container's env only (the kubelet-resolved list, last definition wins), never this process's.
        var found = environment.LastOrDefault(kv => kv.Key == name);
        if (found.Key is null)
        {
            if (fallback is not null)
            {
                return fallback;
            }

            log.Warn("Configuration references unset environment variable", ("name", name));
            return string.Empty;
        }

        if (found.Value.Length == 0)
        {
            log.Info("Configuration references empty environment variable", ("name", name));
        }

        return ScalarOf(found.Value);
    }

    private string File(string path)
    {
        var content = readFile(path)
            ?? throw new CollectorStartException($"unable to read the file {path}: open {path}: no such file or directory");
        return ScalarOf(content);
    }

    // NewRetrievedFromYAML: a plain scalar document yields its value (a trailing newline is not part of it).
    private static string ScalarOf(string content)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(content));
            if (stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlScalarNode { Value: { } v })
            {
                return v;
            }
        }
        catch (YamlDotNet.Core.YamlException)
        {
            // Not YAML: upstream keeps the raw string.
        }

        return content.TrimEnd('\n', '\r');
    }
}
