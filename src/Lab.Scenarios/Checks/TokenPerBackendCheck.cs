using OtelLab.Backends;
using OtelLab.Backends.Capture;
using OtelLab.Lint;
using OtelLab.Scenarios.Checks.Internal;
using OtelLab.Sim.Vault;

namespace OtelLab.Scenarios.Checks;

/// <summary>
/// Each mock backend saw exactly the credential Vault issued for it (the scenario's generated Dynatrace token and
/// Datadog API key, <see cref="SimLab.VaultSetup"/>) and no other: not an empty one (the guide's env-vs-file
/// defect), not a stale or hard-coded one. Compared as masked fingerprints (prefix + SHA-256), never in clear.
/// </summary>
public sealed class TokenPerBackendCheck : IScenarioCheck
{
    public string Id => "token-per-backend";

    public string Title => "Each backend saw exactly the credential Vault issued";

    public bool NeedsRunningLab => true;

    public async Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Lab is not { Backends.Count: > 0 } lab)
        {
            return CheckResult.Skip(this, "no running lab");
        }

        if (lab.VaultSetup is not { } vault)
        {
            return CheckResult.Skip(this, "the scenario has no vault: block, so Vault issued no backend credential to compare with");
        }

        var evidence = new List<string>();
        var figures = new List<CheckFigure>();
        var judged = 0;
        foreach (var (backend, kind) in Expected(lab))
        {
            var issued = vault.OfKind(kind).Select(g => CredentialFingerprint.Of(g.Value).Masked).ToList();
            if (issued.Count == 0)
            {
                continue;
            }

            judged++;
            await backend.Captures.WaitUntilAsync(s => s.Credentials().Count > 0, context.DataWait, cancellationToken).ConfigureAwait(false);
            var seen = backend.Captures.Credentials();
            var problems = Judge(backend.Name, issued, seen);
            evidence.AddRange(problems);
            figures.Add(new CheckFigure($"{backend.Name} credentials seen", seen.Count));
            figures.Add(new CheckFigure($"{backend.Name} credentials not issued by Vault", seen.Count(c => !issued.Contains(c.Credential))));
        }

        if (judged == 0)
        {
            return CheckResult.Skip(this, "the scenario's vault: block generates no Dynatrace token or Datadog API key");
        }

        var (obj, location, _) = VendorExporters.Find(context.Manifests);
        return new CheckResult
        {
            Id = Id,
            Title = Title,
            Outcome = evidence.Count == 0 ? CheckOutcome.Pass : CheckOutcome.Fail,
            Summary = evidence.Count == 0 ? $"{judged} backend(s) saw only the Vault-issued credential" : $"{evidence.Count} credential problem(s) at the backends",
            Figures = figures,
            Findings = evidence.Count == 0 ? [] :
            [
                new Finding
                {
                    RuleId = "backend-credential-not-from-vault",
                    Severity = Severity.Error,
                    Object = obj,
                    Location = location,
                    Message = "a backend saw a credential other than the one Vault issued, or never saw the issued one",
                    Evidence = evidence,
                    Why = "the exporters must send the token the Vault Agent rendered into the pod; an empty or different token is rejected (401 at Dynatrace, 403 at Datadog's key validation) or bypasses the rotation Vault gives",
                    Fix = "read the credential from the Vault-rendered file (${file:/vault/secrets/…}) in the exporter's headers/api.key, not from an env var that nothing sets",
                },
            ],
        };
    }

    /// <summary>
    /// The judgement: every credential <paramref name="backend"/> saw is one of <paramref name="issued"/> (masked
    /// fingerprints), and an issued one carried at least one accepted request. Returns the problems (empty: pass).
    /// </summary>
    internal static IReadOnlyList<string> Judge(string backend, IReadOnlyList<string> issued, IReadOnlyList<CredentialUsage> seen)
    {
        var problems = new List<string>();
        foreach (var other in seen.Where(c => !issued.Contains(c.Credential)))
        {
            problems.Add($"{backend} saw {other.Credential} ({other.AcceptedRequests} accepted, {other.RejectedRequests} rejected request(s)), which Vault did not issue");
        }

        if (!seen.Any(c => issued.Contains(c.Credential) && c.AcceptedRequests > 0))
        {
            problems.Add($"{backend} never accepted a request carrying the Vault-issued {string.Join(" or ", issued)}");
        }

        return problems;
    }

    private static IEnumerable<(IMockBackend Backend, GeneratedSecretKind Kind)> Expected(SimLab lab)
    {
        if (lab.Dynatrace is { } dt)
        {
            yield return (dt, GeneratedSecretKind.DynatraceApiToken);
        }

        if (lab.Datadog is { } dd)
        {
            yield return (dd, GeneratedSecretKind.DatadogApiKey);
        }
    }
}
