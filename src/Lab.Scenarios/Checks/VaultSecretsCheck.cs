using k8s.Models;
using OtelLab.Lint;
using OtelLab.Scenarios.Checks.Internal;
using OtelLab.Sim.Vault;

namespace OtelLab.Scenarios.Checks;

/// <summary>
/// Every workload whose pods ask Vault Agent for secrets (<c>vault.hashicorp.com/agent-inject: "true"</c>) has pods
/// that got them: logged in with their ServiceAccount, read the secrets and rendered the files. Evidence names files
/// and sizes, never content; credentials appear masked.
/// </summary>
public sealed class VaultSecretsCheck : IScenarioCheck
{
    private const string InjectAnnotation = "vault.hashicorp.com/agent-inject";

    public string Id => "vault-secrets";

    public string Title => "Vault-issued credentials delivered";

    public bool NeedsRunningLab => true;

    public Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Lab?.Cluster is not { } cluster)
        {
            return Task.FromResult(CheckResult.Skip(this, "no running lab"));
        }

        var workloads = cluster.List<V1Deployment>().Select(d => ("Deployment", d.Metadata, d.Spec.Template))
            .Concat(cluster.List<V1StatefulSet>().Select(s => ("StatefulSet", s.Metadata, s.Spec.Template)))
            .Concat(cluster.List<V1DaemonSet>().Select(s => ("DaemonSet", s.Metadata, s.Spec.Template)))
            .Where(w => w.Template.Metadata?.Annotations?.TryGetValue(InjectAnnotation, out var v) == true && v == "true")
            .ToList();
        var injections = context.Lab.VaultInjections;
        var generated = context.Lab.VaultSetup?.Generated ?? [];
        var findings = new List<Finding>();
        var rendered = 0;
        foreach (var (kind, meta, template) in workloads)
        {
            var selector = template.Metadata.Labels ?? new Dictionary<string, string>();
            var pods = cluster.List<V1Pod>(meta.NamespaceProperty)
                .Where(p => selector.All(kv => p.Metadata.Labels?.TryGetValue(kv.Key, out var v) == true && v == kv.Value))
                .ToList();
            var mine = injections.Where(i => i.Namespace == meta.NamespaceProperty && pods.Any(p => p.Metadata.Name == i.Pod)).ToList();
            rendered += mine.Sum(i => i.Result.Files.Count(f => f.Status == InjectedFileStatus.Rendered));
            var (obj, location) = ObjectSource.Find(context.Manifests, cluster, kind, meta.NamespaceProperty, meta.Name);
            if (pods.Count == 0)
            {
                findings.Add(Finding(obj, location, $"{kind} {meta.NamespaceProperty}/{meta.Name} asks Vault Agent for secrets but has no pod to deliver them to",
                    [$"{kind} {meta.NamespaceProperty}/{meta.Name}: 0 pods; annotations ask for {Secrets(template)}"],
                    "make the workload's pods start first (see workload-without-pods)"));
                continue;
            }

            foreach (var failed in mine.Where(i => !i.Result.InitSucceeded))
            {
                findings.Add(Finding(obj, location, $"Vault Agent could not deliver secrets to pod {failed.Namespace}/{failed.Pod}",
                    [$"pod {failed.Namespace}/{failed.Pod} (serviceaccount {failed.ServiceAccount}): {failed.Result.Reason}",
                     .. failed.Result.Files.Select(f => $"{f.ContainerPath}: {f.Status}{(f.Error is null ? "" : " — " + f.Error)}")],
                    "bind the pods' ServiceAccount and namespace in the Vault role (bound_service_account_names/namespaces) and grant read on the secret paths in its policy"));
            }

            foreach (var pod in pods.Where(p => mine.All(i => i.Pod != p.Metadata.Name)))
            {
                findings.Add(Finding(obj, location, $"pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} has not been through Vault Agent",
                    [$"pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}: {PodStatus.Describe(pod)}; no injection recorded"],
                    "wait for the pod's containers to start (the agent runs before them)"));
            }
        }

        return Task.FromResult(new CheckResult
        {
            Id = Id,
            Title = Title,
            Outcome = findings.Count == 0 ? CheckOutcome.Pass : CheckOutcome.Fail,
            Summary = workloads.Count == 0
                ? "no workload asks Vault Agent for secrets"
                : $"{workloads.Count} workload(s) ask Vault for secrets; {rendered} file(s) rendered; credentials generated: {string.Join(", ", generated.Select(g => g.Masked))}",
            Figures = [new("workloads with vault annotations", workloads.Count), new("files rendered", rendered), new("generated credentials", generated.Count)],
            Findings = findings,
        });
    }

    private static string Secrets(V1PodTemplateSpec template) =>
        string.Join(", ", template.Metadata.Annotations.Where(a => a.Key.StartsWith("vault.hashicorp.com/agent-inject-secret-", StringComparison.Ordinal))
            .Select(a => $"/vault/secrets/{a.Key["vault.hashicorp.com/agent-inject-secret-".Length..]} ← {a.Value}"));

    private static Finding Finding(string obj, Model.SourceLocation location, string message, IReadOnlyList<string> evidence, string fix) => new()
    {
        RuleId = "vault-secrets-missing",
        Severity = Severity.Error,
        Object = obj,
        Location = location,
        Message = message,
        Evidence = evidence,
        Why = "the exporters read their credentials from the files Vault Agent renders (${file:/vault/secrets/…}); without them every export is refused",
        Fix = fix,
    };
}
