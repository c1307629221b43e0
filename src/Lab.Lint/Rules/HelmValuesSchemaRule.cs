using OtelLab.Lint.Internal;
using OtelLab.Model.Install;

namespace OtelLab.Lint.Rules;

/// <summary>A declared Helm release whose values the chart's values.schema.json refuses: the install fails.</summary>
public sealed class HelmValuesSchemaRule : LintRule
{
    public override string Id => "helm-values-schema";

    public override string Title => "Helm refuses the release's values (values.schema.json)";

    public override Severity Severity => Severity.Error;

    public override string Why =>
        "helm install/upgrade validates the chart's defaults merged with --values and --set against the chart's values.schema.json " +
        "before rendering anything (helm pkg/chartutil/jsonschema.go ValidateAgainstSchema); a refusal fails the whole install, " +
        "so nothing of the chart (CRDs, operator, webhooks) reaches the cluster.";

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var release in context.Install.Releases)
        {
            if (ChartCatalog.Find(release.ChartName, release.Version) is not { Schema: { } schema } chart)
            {
                continue;
            }

            var values = HelmValues.Coalesce(chart.DefaultValues, HelmValues.UserValues(release));
            var errors = ValuesSchemaValidator.Validate(schema, values);
            if (errors.Count == 0)
            {
                continue;
            }

            // Helm prints every refusal of a chart together under its name.
            var helmText = $"Error: values don't meet the specifications of the schema(s) in the following chart(s):\n{chart.Name}:\n" +
                string.Join('\n', errors.Select(e => $"- {e}"));
            foreach (var error in errors)
            {
                var set = ReleaseValues.SetOf(release, error.Key);
                yield return Create(release.Display, ReleaseValues.LocationOf(release, error.Key),
                    $"{release.Display}: helm refuses {(set is null ? $"the value {error.KeyDisplay}" : $"--set {set}")} ({error}): " +
                    "the install fails and nothing of the chart is created",
                    Fix(chart, error, set),
                    [helmText, $"Helm 3.18 and later word it: {ValuesSchemaValidator.Helm318Wording(error)}", $"schema: {chart.Provenance}"]);
            }
        }
    }

    private static string Fix(PinnedChart chart, ValuesSchemaError error, string? set)
    {
        var what = set is null ? $"the value {error.KeyDisplay}" : $"--set {set}";
        if (error.Key.Count > 0 && error.Key[0] == "targetAllocator")
        {
            return $"remove {what}: chart {chart.Name} {chart.Version} has no targetAllocator value; the Target Allocator is enabled per collector " +
                "(OpenTelemetryCollector spec.targetAllocator.enabled) and its discovery RBAC is a ClusterRole you create";
        }

        var parent = error.Key.Count > 0 ? error.Key.Take(error.Key.Count - 1).ToArray() : [];
        var allowed = chart.DefaultValues is { } defaults && (parent.Length == 0 ? defaults : HelmValues.At(defaults, parent)) is System.Text.Json.Nodes.JsonObject level && level.Count > 0
            ? $"; {(parent.Length == 0 ? "the top level" : string.Join('.', parent))} of the chart's values.yaml has: {string.Join(", ", level.Select(kv => kv.Key))}"
            : string.Empty;
        return $"correct or remove {what} so it matches chart {chart.Name} {chart.Version}'s values.schema.json{allowed}";
    }
}
