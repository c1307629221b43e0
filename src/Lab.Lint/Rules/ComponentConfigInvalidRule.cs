using OtelLab.Model.Collector;
using OtelLab.Model.Collector.Decoding;

namespace OtelLab.Lint.Rules;

/// <summary>
/// A component setting the collector cannot decode: a key its config struct does not have (a typo such as
/// <c>timout</c>), or a value of the wrong type. Reported at the key's or value's own line, with the text the image
/// prints when it refuses to start.
/// </summary>
public sealed class ComponentConfigInvalidRule : LintRule
{
    public override string Id => "component-config-invalid";

    public override string Title => "Component setting the collector cannot decode";

    public override Severity Severity => Severity.Error;

    public override string Why =>
        "The collector decodes each component's settings with mapstructure and ErrorUnused (confmap/confmap.go): an unknown key or a " +
        "wrong-typed value stops the start with `error reading configuration for \"<id>\": … has invalid keys: …` and the pod crash-loops. " +
        "Nothing is ignored, and nothing reaches the pipeline.";

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var (m, c) in context.Collectors)
        {
            var distribution = CollectorDistribution.FromImage(c.Image);
            var dialect = MapstructureDialect.For(CollectorDistribution.VersionOf(c.Image));
            foreach (var failure in ComponentConfigCheck.Run(c.Config, dialect, unresolvedReferences: true))
            {
                var component = failure.Component;
                if (distribution is not null && !distribution.Has(component.Kind, component.Id.Type))
                {
                    continue; // component-missing-from-distribution reports it.
                }

                var section = MapstructureDialect.Section(component.Kind);
                var crash = dialect.ComponentError(component.Kind, component.Id, failure.Problems);
                foreach (var problem in failure.Problems)
                {
                    var line = dialect.Line(problem);
                    yield return Create(m.Display, c.Config.LocationOf(problem.Node),
                        $"{m.Display}: {section}.{component.Id}: {line}; the collector refuses to start and the pod crash-loops",
                        Fix(problem, section, component),
                        [$"image {c.Image ?? "(operator default)"}: {dialect.Name}", $"schema: {failure.Schema.Upstream}", crash]);
                }
            }
        }
    }

    private static string Fix(DecodeProblem problem, string section, ComponentConfig component)
    {
        var where = problem.Name.Length == 0 ? $"{section}.{component.Id}" : $"{section}.{component.Id}.{problem.Name}";
        return problem.Kind switch
        {
            DecodeProblemKind.InvalidKeys => string.Join("; ", problem.Keys.Select(k => Closest(k, problem.Struct!) is { } near
                ? $"`{k}` is not a key of {where}: did you mean `{near}`{Describe(problem.Struct!, near)}?"
                : $"remove `{k}` from {where} (its keys: {string.Join(", ", problem.Struct!.Fields.Keys.Order(StringComparer.Ordinal))})")),
            DecodeProblemKind.HookFailed when problem.Detail.StartsWith("time:", StringComparison.Ordinal) =>
                $"write {where} as a Go duration such as 200ms, 5s or 1m30s",
            DecodeProblemKind.Unconvertible or DecodeProblemKind.ExpectedMap or DecodeProblemKind.ExpectedSlice when problem.Expected.Length > 0 =>
                $"give {where} a value of Go type {problem.Expected}" + (problem.Expected == "string" ? " (quote it)" : " (unquoted)"),
            _ => $"fix the value of {where}",
        };
    }

    // " (time.Duration, default 200ms)": the schema's row for the key.
    private static string Describe(ConfigType type, string key) =>
        type.Defaults.TryGetValue(key, out var value) ? $" ({type.Fields[key].GoName}, default {value})" : $" ({type.Fields[key].GoName})";

    // A known key within two edits (or one for short keys) of the misspelt one.
    private static string? Closest(string key, ConfigType type)
    {
        var best = type.Fields.Keys.Select(k => (Key: k, Distance: Distance(key, k))).OrderBy(x => x.Distance).ThenBy(x => x.Key, StringComparer.Ordinal).FirstOrDefault();
        return best.Key is not null && best.Distance <= (key.Length <= 4 ? 1 : 2) ? best.Key : null;
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
