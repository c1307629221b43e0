using OtelLab.Lint.Rules;
using OtelLab.Model.Install;
using OtelLab.Model.Manifests;

namespace OtelLab.Lint;

/// <summary>Runs every rule over a manifest set; findings come out sorted by severity, then file and line.</summary>
public static class Linter
{
    public static IReadOnlyList<LintRule> Rules { get; } =
    [
        new InjectAnnotationOnWorkloadRule(),
        new InjectInstrumentationNotFoundRule(),
        new ComponentMissingFromDistributionRule(),
        new ComponentConfigInvalidRule(),
        new TargetAllocatorModeRule(),
        new ServiceAccountMissingRule(),
        new K8sAttributesRbacRule(),
        new TargetAllocatorRbacRule(),
        new InstrumentationEndpointVariableRule(),
        new InstrumentationEndpointHostPortRule(),
        new CollectorEnvFromVaultFileRule(),
        new CollectorEnvUndefinedRule(),
        new TailSamplingBehindServiceRule(),
        new DynatraceCumulativeMetricsRule(),
        new DatadogStatsAfterSamplingRule(),
        new LiteralCredentialRule(),
        new OtlpExposedRule(),
        new TargetAllocatorStaticSelfScrapeRule(),
        new RelabelRegexInvalidRule(),
        new HelmValuesSchemaRule(),
        new HelmValuesIgnoredRule(),
        new CrdNotInstalledRule(),
    ];

    public static IReadOnlyList<Finding> Run(ManifestSet manifests, IEnumerable<LintRule>? rules = null, InstallSpec? install = null)
    {
        var context = new LintContext(manifests, install);
        return (rules ?? Rules)
            .SelectMany(r => r.Check(context))
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => f.Location.File, StringComparer.Ordinal)
            .ThenBy(f => f.Location.Line)
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ToList();
    }
}
