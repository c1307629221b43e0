using OtelLab.Scenarios.Definition;

namespace OtelLab.Scenarios.Checks;

/// <summary>
/// Folds a variant's run into its scenario's report: each of the variant's dynamic checks becomes a check of the
/// scenario named <c>VARIANT/CHECK</c>, its findings marked with the variant, so one report lists what the scenario's
/// blockers hide. The variant's static lint is left out (its manifests are not the scenario's).
/// </summary>
public static class ScenarioVariants
{
    public static ScenarioRunResult Merge(ScenarioRunResult run, ScenarioDefinition variant, ScenarioRunResult variantRun)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentNullException.ThrowIfNull(variantRun);
        var checks = variantRun.Checks
            .Where(c => c.Id != "lint")
            .Select(c => c with
            {
                Id = $"{variant.Name}/{c.Id}",
                Title = $"{c.Title} (variant {variant.Name})",
                Findings = [.. c.Findings.Select(f => f with { Message = $"[variant {variant.Name}: {variant.Description}] {f.Message}" })],
            });
        return run with
        {
            Checks = [.. run.Checks, .. checks],
            Duration = run.Duration + variantRun.Duration,
        };
    }
}
