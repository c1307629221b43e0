using OtelLab.Lint;
using OtelLab.Model.Manifests;
using OtelLab.Scenarios.Definition;
using OtelLab.Sim.ArgoCd;
using OtelLab.Sim.ArgoCd.Internal;

namespace OtelLab.Scenarios.GitOps;

/// <summary>
/// The lab's verdict on one revision of a scenario's gitops repository, for its change request: the lint rules over
/// the scenario's directly applied manifests plus the Application's path at that commit, errors first.
/// </summary>
public sealed class RevisionVerdict(ScenarioDefinition scenario, string repository, string workDirectory)
{
    public async Task<string> DescribeAsync(GateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var findings = await FindingsAsync(request.Revision, request.Path, cancellationToken).ConfigureAwait(false);
        var errors = findings.Where(f => f.Severity == Severity.Error).ToList();
        var lines = findings.Where(f => f.Severity is Severity.Error or Severity.Warning)
            .Select(f => $"- {f.Severity.ToString().ToLowerInvariant()} {f.RuleId}: {f.Object}: {f.Message}");
        return $"Lab verdict for {request.Revision[..7]}: {(errors.Count == 0 ? "no errors" : $"{errors.Count} error(s)")} from lint\n{string.Join("\n", lines)}".TrimEnd();
    }

    public async Task<IReadOnlyList<Finding>> FindingsAsync(string revision, string path, CancellationToken cancellationToken)
    {
        var checkout = Path.Combine(workDirectory, "verdict-" + revision[..12]);
        Directory.CreateDirectory(checkout);
        var tar = checkout + ".tar";
        var (exit, _, error) = await GitCli.RunAsync(repository, ["archive", "--format=tar", "-o", tar, revision, "--", path], cancellationToken).ConfigureAwait(false);
        if (exit != 0)
        {
            throw new InvalidOperationException($"git archive {revision} -- {path}: {error.Trim()}");
        }

        await System.Formats.Tar.TarFile.ExtractToDirectoryAsync(tar, checkout, overwriteFiles: true, cancellationToken).ConfigureAwait(false);
        File.Delete(tar);
        var manifests = ManifestLoader.Load([.. scenario.ManifestPaths, Path.Combine(checkout, path)], recursive: true);
        return Linter.Run(manifests, install: scenario.Install);
    }
}
