using OtelLab.Backends.Capture;
using OtelLab.Lint;
using OtelLab.Scenarios.Checks.Internal;

namespace OtelLab.Scenarios.Checks.Guide;

/// <summary>
/// The vendors accept the credentials the exporters send. Measured: the backends' authentication rejections (Dynatrace
/// 401/403, Datadog 403 on <c>/api/v1/validate</c> or an intake) and the collectors that failed on a credential (log
/// lines such as <c>api.key is not set</c> or <c>API Key validation failed</c>, restarts, send-failed counters).
/// The guide reads <c>${env:DT_API_TOKEN}</c>/<c>${env:DD_API_KEY}</c> while Vault Agent renders files, so both are empty.
/// </summary>
public sealed class VendorCredentialsCheck : IScenarioCheck
{
    public string Id => "vendor-credentials";

    public string Title => "The vendors accept the exporters' credentials";

    public bool NeedsRunningLab => true;

    public Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Lab is not { } lab || lab.Backends.Count == 0)
        {
            return Task.FromResult(CheckResult.Skip(this, "no running lab"));
        }

        var secrets = lab.VaultSetup?.Generated.Select(g => g.Value).ToList() ?? [];
        var rejections = lab.Backends
            .SelectMany(b => b.Captures.Rejections().Where(IsAuthentication).Select(r => (Backend: b.Name, Rejection: r)))
            .GroupBy(x => (x.Backend, x.Rejection.HttpStatus, x.Rejection.Reason, x.Rejection.Detail))
            .Select(g => new AuthRejection(g.Key.Backend, g.Key.HttpStatus, g.Key.Reason, g.Key.Detail, g.LongCount(), g.Sum(x => x.Rejection.ItemCount),
                string.Join(", ", g.Select(x => x.Rejection.Credential.Masked).Distinct(StringComparer.Ordinal))))
            .ToList();
        var collectors = CollectorPod.Of(lab)
            .Select(p => new CollectorCredentialState(
                p.Name,
                p.Instance is null ? PodStatus.Describe(p.Pod) : "running",
                p.Restarts,
                p.Log.Where(IsCredentialLine).Select(l => CollectorPod.Quote(l, secrets)).Distinct(StringComparer.Ordinal).Take(3).ToList(),
                SendFailed(p)))
            .Where(c => c.LogLines.Count > 0)
            .ToList();
        var (obj, location, exporters) = VendorExporters.Find(context.Manifests);
        return Task.FromResult(Judge(this, new CredentialEvidence(rejections, collectors), obj, location, exporters));
    }

    internal static CheckResult Judge(IScenarioCheck check, CredentialEvidence evidence, string obj, Model.SourceLocation location, IReadOnlyList<string> exporters)
    {
        var lines = evidence.Rejections
            .Select(r => $"{r.Backend} answered {r.Status} {r.Reason} to {r.Requests} request(s) ({r.Items} item(s)) with credential {r.Credential}: {r.Detail}")
            .Concat(evidence.Collectors.Select(c =>
                $"collector {c.Pod}: {c.State}, {c.Restarts} restart(s), send-failed {c.SendFailed} item(s); log: {string.Join(" | ", c.LogLines)}"))
            .ToList();
        var failed = lines.Count > 0;
        var requests = evidence.Rejections.Sum(r => r.Requests);
        return new CheckResult
        {
            Id = check.Id,
            Title = check.Title,
            Outcome = failed ? CheckOutcome.Fail : CheckOutcome.Pass,
            Summary = failed
                ? $"{requests} request(s) refused for their credential; {evidence.Collectors.Count} collector pod(s) failing on a credential"
                : "no request refused for its credential and no collector failing on one",
            Figures =
            [
                new("auth-rejected requests", requests),
                new("collector pods failing on a credential", evidence.Collectors.Count),
                new("collector restarts", evidence.Collectors.Sum(c => c.Restarts)),
                new("send-failed items", evidence.Collectors.Sum(c => c.SendFailed)),
            ],
            Findings = !failed ? [] :
            [
                new Finding
                {
                    RuleId = "vendor-credentials-rejected",
                    Severity = Severity.Error,
                    Object = obj,
                    Location = location,
                    Message = $"the exporters ({string.Join(", ", exporters)}) send credentials the vendors refuse, or cannot start without one",
                    Evidence = lines,
                    Why = "`${env:X}` reads the process environment only; the Vault Agent Injector writes the token to a file under /vault/secrets/ " +
                        "(as an `export X=…` line), so the variable is empty: Dynatrace answers 401 to `Api-Token ` and the datadog exporter refuses an " +
                        "empty api.key at start (config validation) or fails its key check (opentelemetry-collector confmap/provider/envprovider; opentelemetry-collector-contrib exporter/datadogexporter config validation)",
                    Fix = "read the files: `Authorization: \"Api-Token ${file:/vault/secrets/dt}\"`, `api.key: ${file:/vault/secrets/dd}`, with Vault " +
                        "templates that render only the raw value (see scenarios/payments-fixed/manifests/12-otel-gateway.yaml)",
                },
            ],
        };
    }

    private static bool IsAuthentication(CapturedRejection r) => r.HttpStatus is 401 or 403;

    // The status as the otlphttp exporter words it ("responded with HTTP Status Code 401"), never a bare "401": every
    // log line starts with a millisecond timestamp, and one written at .401 s is not a credential failure.
    internal static bool IsCredentialLine(string line) =>
        line.Contains("api.key", StringComparison.Ordinal) || line.Contains("API Key validation failed", StringComparison.Ordinal) ||
        line.Contains("HTTP Status Code 401", StringComparison.Ordinal) || line.Contains("HTTP Status Code 403", StringComparison.Ordinal) ||
        line.Contains("Unauthorized", StringComparison.Ordinal) || line.Contains("403 Forbidden", StringComparison.Ordinal);

    private static long SendFailed(CollectorPod pod) =>
        pod.Instance is not { } c ? 0 : c.Service.Config.Exporters.Keys
            .Where(id => id.Type is "otlphttp" or "datadog")
            .Sum(id => (long)((c.Telemetry.Value("otelcol_exporter_send_failed_spans", ("exporter", id.ToString())) ?? 0) +
                (c.Telemetry.Value("otelcol_exporter_send_failed_metric_points", ("exporter", id.ToString())) ?? 0)));
}

/// <summary>What <see cref="VendorCredentialsCheck"/> measured.</summary>
internal sealed record CredentialEvidence(IReadOnlyList<AuthRejection> Rejections, IReadOnlyList<CollectorCredentialState> Collectors);

/// <summary>Requests one backend refused with one status and reason; the credential masked.</summary>
internal sealed record AuthRejection(string Backend, int Status, string Reason, string Detail, long Requests, long Items, string Credential);

/// <summary>A collector pod whose log names a credential failure.</summary>
internal sealed record CollectorCredentialState(string Pod, string State, int Restarts, IReadOnlyList<string> LogLines, long SendFailed);
