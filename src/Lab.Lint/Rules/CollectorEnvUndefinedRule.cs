using OtelLab.Lint.Internal;

namespace OtelLab.Lint.Rules;

/// <summary><c>${env:X}</c> where X is not set in the collector container at all.</summary>
public sealed class CollectorEnvUndefinedRule : LintRule
{
    public override string Id => "collector-env-undefined";

    public override string Title => "Config references an environment variable the container does not set";

    public override Severity Severity => Severity.Error;

    public override string Why =>
        "An unset variable without a default logs `Configuration references unset environment variable` and becomes empty; the collector " +
        "still starts, with an empty endpoint or credential (opentelemetry-collector confmap/provider/envprovider/provider.go).";

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var (m, c, r, env) in UnsetEnvReferences.In(context))
        {
            if (VaultTemplates.FileDefining(c.PodAnnotations, r.Value) is not null)
            {
                continue; // collector-env-from-vault-file explains this one.
            }

            var critical = r.Path.StartsWith("exporters.", StringComparison.Ordinal) || r.Path.StartsWith("extensions.", StringComparison.Ordinal);
            yield return Create(m.Display, r.Location,
                $"{m.Display}: {r.Path} reads ${{env:{r.Value}}}, which the collector container does not define: it resolves to an empty string" +
                (r.Path.EndsWith("endpoint", StringComparison.Ordinal) ? $" and the endpoint becomes \"{Resolved(c.Config.Root, r)}\"" : string.Empty),
                $"add to spec.env: - name: {r.Value}\n    value: <value>   (or valueFrom), or give a default: ${{env:{r.Value}:-<default>}}",
                [$"container env: {string.Join(", ", env.Order(StringComparer.Ordinal))}"],
                critical ? Severity.Error : Severity.Warning);
        }
    }

    private static string Resolved(YamlDotNet.RepresentationModel.YamlMappingNode root, Model.Collector.ConfigReference r)
    {
        YamlDotNet.RepresentationModel.YamlNode? node = root;
        foreach (var key in r.Path.Split('.'))
        {
            node = Model.Yaml.YamlReader.Child(node as YamlDotNet.RepresentationModel.YamlMappingNode, key);
        }

        var text = (node as YamlDotNet.RepresentationModel.YamlScalarNode)?.Value ?? string.Empty;
        return text.Replace($"${{env:{r.Value}}}", string.Empty, StringComparison.Ordinal).Replace($"${{{r.Value}}}", string.Empty, StringComparison.Ordinal);
    }
}
