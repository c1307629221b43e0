using OtelLab.Lint;

namespace OtelLab.Scenarios.Checks.OnCluster;

/// <summary>
/// The scenario's manifests applied file by file through the cluster interface (server-side apply, as
/// <c>kubectl apply --server-side</c>): each object the API server refuses is a finding at its file with the server's
/// words (an OpenTelemetryCollector the webhook denies, a kind whose CRD no release installs).
/// </summary>
public sealed class ClusterApplyCheck : IScenarioCheck
{
    public string Id => "manifests-apply";

    public string Title => "The manifests apply through the API";

    public bool NeedsRunningLab => true;

    public async Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Cluster is not { } cluster)
        {
            return CheckResult.Skip(this, "no cluster API to judge");
        }

        var transcript = new List<string>();
        var findings = new List<Finding>();
        var applied = 0;
        foreach (var file in context.Manifests.Files)
        {
            transcript.Add($"$ apply {file}");
            try
            {
                var lines = await cluster.ApplyAsync(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                transcript.AddRange(lines);
                applied += lines.Count;
            }
            catch (Exception e) when (e is k8s.Autorest.HttpOperationException or ArgumentException or NotSupportedException or HttpRequestException)
            {
                var message = e is k8s.Autorest.HttpOperationException h && !string.IsNullOrWhiteSpace(h.Response.Content) ? $"{e.Message}: {h.Response.Content}" : e.Message;
                transcript.Add("error: " + message);
                findings.Add(new Finding
                {
                    RuleId = "manifest-refused",
                    Severity = Severity.Error,
                    Object = Path.GetFileName(file),
                    Location = new Model.SourceLocation(file, 1, 1),
                    Message = $"{Path.GetFileName(file)}: the API server refused it ({message})",
                    Evidence = [message],
                    Why = "an object the API server refuses never exists in the cluster: what it configures does not run",
                    Fix = "read the server's message: install the CRD's chart, or correct the object as the message says",
                });
            }
        }

        return new CheckResult
        {
            Id = Id,
            Title = Title,
            Outcome = findings.Count == 0 ? CheckOutcome.Pass : CheckOutcome.Fail,
            Summary = $"{applied} object(s) applied from {context.Manifests.Files.Count - findings.Count}/{context.Manifests.Files.Count} file(s)",
            Figures = [new("objects applied", applied), new("files refused", findings.Count)],
            Findings = findings,
            Transcript = transcript,
        };
    }
}
