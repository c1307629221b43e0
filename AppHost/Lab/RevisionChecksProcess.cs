using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using OtelLab.Model.Manifests;
using OtelLab.Scenarios.Definition;
using OtelLab.Sim.ArgoCd.Internal;

namespace OtelLab.AppHost.Lab;

/// <summary>
/// The change gate's checks for one revision: <c>otel-lab test</c> of the scenario synced from a clone whose
/// Application branch points at the revision (its gitops steps do not run), in a child process: a lab of its own beside
/// the running one (each lab holds its own loopback address slot).
/// Measured: a payments-gitops run takes 15–25 s of wall time on 2 cores, so the gate runs it in the background.
/// </summary>
internal static class RevisionChecksProcess
{
    /// <summary>How long one run may take before the gate notes that it did not finish.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromMinutes(5);

    /// <summary>The branch the scenario's Application follows (its targetRevision; main for HEAD or none).</summary>
    public static string BranchOf(ScenarioDefinition scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var app = ManifestLoader.Load(scenario.ManifestPaths, recursive: true).Typed<Model.Crds.ArgoApplication>().Select(t => t.Model).FirstOrDefault();
        return app?.TargetRevision is { Length: > 0 } t && t != "HEAD" ? t : "main";
    }

    public static async Task<string> RunAsync(ScenarioDefinition scenario, string repository, string revision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (scenario.File is null)
        {
            throw new InvalidOperationException("the scenario has no scenario.yaml for a second run to read");
        }

        var work = Directory.CreateTempSubdirectory("otel-lab-gate-checks-").FullName;
        try
        {
            var clone = Path.Combine(work, "repo");
            foreach (var (dir, args) in new[] { (work, new[] { "clone", "-q", repository, clone }), (clone, ["checkout", "-q", "-B", BranchOf(scenario), revision]) })
            {
                var (exit, _, error) = await GitCli.RunAsync(dir, args, cancellationToken).ConfigureAwait(false);
                if (exit != 0)
                {
                    throw new InvalidOperationException($"git {string.Join(' ', args)}: {error.Trim()}");
                }
            }

            var output = Path.Combine(work, "out");
            var exe = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "otel-lab.exe" : "otel-lab");
            var start = new ProcessStartInfo(exe) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = work };
            foreach (var a in new[] { "test", "--scenario", Path.GetDirectoryName(Path.GetFullPath(scenario.File))!, "--gitops-repo", clone, "--out", output })
            {
                start.ArgumentList.Add(a);
            }

            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{exe} did not start");
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bound.CancelAfter(Bound);
            try
            {
                await process.WaitForExitAsync(bound.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }

                throw new TimeoutException($"otel-lab test did not finish within {Bound.TotalMinutes:0} min");
            }

            var report = Path.Combine(output, "report.json");
            if (!File.Exists(report))
            {
                var err = (await stderr.ConfigureAwait(false)).Trim();
                var tail = err.Length > 400 ? err[^400..] : err;
                throw new InvalidOperationException($"otel-lab test exited {process.ExitCode} without a report: {tail}");
            }

            _ = await stdout.ConfigureAwait(false);
            return Note(JsonNode.Parse(await File.ReadAllTextAsync(report, cancellationToken).ConfigureAwait(false))!, revision, clock.Elapsed);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // a leftover temp folder is harmless
            }
        }
    }

    /// <summary>The work note: the run's verdict, the counts by outcome, and every check that did not pass.</summary>
    internal static string Note(JsonNode report, string revision, TimeSpan took)
    {
        ArgumentNullException.ThrowIfNull(report);
        var checks = report["checks"]!.AsArray().OfType<JsonObject>().ToList();
        var note = new StringBuilder();
        note.Append(CultureInfo.InvariantCulture, $"Lab checks for {revision[..7]}: {((string?)report["verdict"])?.ToUpperInvariant()} (otel-lab test of the scenario synced from this revision, {took.TotalSeconds:0.0} s); ");
        note.AppendJoin(", ", checks.GroupBy(c => (string?)c["outcome"]).Select(g => $"{g.Count()} {g.Key}"));
        foreach (var c in checks.Where(c => (string?)c["outcome"] is not ("pass" or "skipped")))
        {
            note.Append(CultureInfo.InvariantCulture, $"\n- {((string?)c["outcome"])?.ToUpperInvariant()} {(string?)c["id"]}: {(string?)c["summary"]}");
        }

        return note.ToString();
    }
}
