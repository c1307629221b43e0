using System.Text.Json.Nodes;
using OtelLab.Lint.Internal;
using OtelLab.Model.Install;

namespace OtelLab.Lint.Rules;

/// <summary>
/// Values Helm would take without a word and the chart never reads (no values.schema.json, or one that does not refuse
/// them), and
/// releases whose chart version the lab has not pinned, so none of their values, CRDs or RBAC is checked.
/// </summary>
public sealed class HelmValuesIgnoredRule(IReadOnlyList<PinnedChart>? charts = null) : LintRule
{
    private readonly IReadOnlyList<PinnedChart> _charts = charts ?? ChartCatalog.All;

    public override string Id => "helm-values-ignored";

    public override string Title => "Helm values the chart never reads";

    public override Severity Severity => Severity.Warning;

    public override string Why =>
        "Without a values.schema.json Helm merges any key into .Values (helm pkg/chartutil/coalesce.go) and the templates read only " +
        "the keys they name: a misspelt or invented key is dropped without a warning and the feature it was meant to switch stays off.";

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var release in context.Install.Releases)
        {
            var chart = _charts.FirstOrDefault(c => c.Matches(release.ChartName, release.Version));
            if (chart is null)
            {
                var pinned = _charts.Where(c => c.Name == release.ChartName).Select(c => c.Version).ToList();
                yield return Create(release.Display, release.Location,
                    $"{release.Display}: the lab has not pinned this chart version: its values, CRDs and ClusterRoles are not checked",
                    pinned.Count > 0 ? $"use the pinned version {string.Join(" or ", pinned)}, or add {release.ChartName} {release.Version} to ChartCatalog with its files"
                        : $"add {release.ChartName} {release.Version} to ChartCatalog with its CRDs, ClusterRoles and values files",
                    severity: Severity.Note);
                continue;
            }

            if (chart.DefaultValues is not { } defaults)
            {
                if (release.Set.Count > 0 || release.Values.Count > 0)
                {
                    yield return Create(release.Display, release.Location,
                        $"{release.Display}: the lab does not carry this chart's values.yaml: its values are not checked",
                        $"add the chart's values.yaml (and values.schema.json if it has one) to ChartCatalog",
                        [chart.Provenance], Severity.Note);
                }

                continue;
            }

            var user = HelmValues.UserValues(release);
            // A schema that refuses the key makes it helm-values-schema's finding; one that lets it through (Vault's
            // schema types the known keys but allows any other) leaves Helm as silent as no schema at all.
            var refused = chart.Schema is { } schema
                ? ValuesSchemaValidator.Validate(schema, HelmValues.Coalesce(defaults, user)).Select(e => e.Key).ToList()
                : [];
            foreach (var key in Unknown(user, defaults, []).Where(k => !refused.Any(r => r.Count > 0 && k.Take(r.Count).SequenceEqual(r))))
            {
                var set = ReleaseValues.SetOf(release, key);
                yield return Create(release.Display, ReleaseValues.LocationOf(release, key),
                    $"{release.Display}: {(set is null ? $"the value {string.Join('.', key)}" : $"--set {set}")} is not a value of chart {chart.Name} {chart.Version}: " +
                    "Helm accepts it silently and nothing reads it",
                    $"remove it, or use the key the chart's values.yaml has{Near(defaults, key)}",
                    [$"{string.Join('.', key)} is not in the chart's values.yaml and " +
                        (chart.Schema is null ? "the chart has no values.schema.json to refuse it" : "the chart's values.schema.json does not refuse it")]);
            }
        }
    }

    // A key is unknown when its nearest ancestor in the chart's values is a non-empty map that lacks it; keys under an
    // empty map ({} such as podAnnotations) are free-form by design.
    private static IEnumerable<string[]> Unknown(JsonObject user, JsonObject defaults, string[] prefix)
    {
        foreach (var (key, value) in user)
        {
            string[] path = [.. prefix, key];
            if (!defaults.TryGetPropertyValue(key, out var known))
            {
                yield return path;
            }
            else if (value is JsonObject inner && known is JsonObject { Count: > 0 } knownMap)
            {
                foreach (var unknown in Unknown(inner, knownMap, path))
                {
                    yield return unknown;
                }
            }
        }
    }

    private static string Near(JsonObject defaults, string[] key)
    {
        var parent = key.Length > 1 ? HelmValues.At(defaults, key[..^1]) as JsonObject : defaults;
        var near = parent?.Select(kv => kv.Key).FirstOrDefault(k => k.Equals(key[^1], StringComparison.OrdinalIgnoreCase) || k.StartsWith(key[^1], StringComparison.OrdinalIgnoreCase));
        return near is null ? string.Empty : $" (did you mean {string.Join('.', key[..^1].Append(near))}?)";
    }
}
