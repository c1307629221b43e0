using OtelLab.Lint.Internal;

namespace OtelLab.Lint.Rules;

/// <summary><c>${env:X}</c> where X exists only in a Vault Agent template file.</summary>
public sealed class CollectorEnvFromVaultFileRule : LintRule
{
    public override string Id => "collector-env-from-vault-file";

    public override string Title => "Secret read from the environment but rendered by Vault into a file";

    public override Severity Severity => Severity.Error;

    public override string Why =>
        "`${env:X}` reads the process environment only. A file the Vault Agent Injector writes under /vault/secrets/ is not in the " +
        "environment unless something sources it before the collector starts, and the contrib image is distroless (no shell): the value " +
        "is empty at runtime (opentelemetry-collector confmap/provider/envprovider reads os.Getenv; " +
        "confmap/provider/fileprovider reads the file, so ${file:/vault/secrets/<name>} works).";

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var (m, c, r, env) in UnsetEnvReferences.In(context))
        {
            var file = VaultTemplates.FileDefining(c.PodAnnotations, r.Value);
            if (file is null)
            {
                continue;
            }

            var consequence = r.Path.StartsWith("exporters.datadog", StringComparison.Ordinal) && r.Path.EndsWith("api.key", StringComparison.Ordinal)
                ? $"the datadog exporter then fails config validation (`{r.Path.Split('.')[1]}: api.key is not set`) and the collector does not start"
                : "the exporter sends an empty credential and the backend answers 401/403";
            yield return Create(m.Display, r.Location,
                $"{m.Display}: {r.Path} reads ${{env:{r.Value}}}, but {r.Value} is only written by Vault into {file}, never into the environment: " +
                $"the value is empty at runtime; {consequence}",
                $"read the file instead: ${{file:{file}}}, and make the Vault template render only the raw value " +
                $"(e.g. `{{{{- with secret \"…\" -}}}}{{{{ .Data.data.<field> }}}}{{{{- end -}}}}`, no `export {r.Value}=`)",
                [$"{r.Path} = ${{env:{r.Value}}} at {r.Location.FileAndLine}",
                 $"container env: {string.Join(", ", env.Order(StringComparer.Ordinal))}",
                 $"vault.hashicorp.com/agent-inject-template for {file} sets {r.Value}"]);
        }
    }
}
