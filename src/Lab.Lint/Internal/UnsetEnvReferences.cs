using OtelLab.Model.Collector;
using OtelLab.Model.Crds;
using OtelLab.Model.Manifests;

namespace OtelLab.Lint.Internal;

/// <summary><c>${env:X}</c> references (no default) to variables the collector container does not define.</summary>
internal static class UnsetEnvReferences
{
    public static IEnumerable<(ManifestObject Manifest, OpenTelemetryCollector Collector, ConfigReference Reference, IReadOnlySet<string> Env)> In(LintContext context)
    {
        foreach (var (m, c) in context.Collectors)
        {
            var env = LintContext.CollectorEnv(c);
            if (env is null)
            {
                continue;
            }

            foreach (var r in c.Config.References.Where(r => r.Scheme == "env" && r.Default is null && !env.Contains(r.Value)))
            {
                yield return (m, c, r, env);
            }
        }
    }
}
