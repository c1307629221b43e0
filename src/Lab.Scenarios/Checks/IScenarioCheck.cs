namespace OtelLab.Scenarios.Checks;

/// <summary>
/// One thing a run must show (pods Ready, backends receiving, parity …). A check measures, then passes or fails with
/// evidence figures and findings; it never throws for what it measured (a crash is reported as a failed check).
/// </summary>
public interface IScenarioCheck
{
    /// <summary>kebab-case, stable (reports and CI refer to it).</summary>
    string Id { get; }

    string Title { get; }

    /// <summary>True when the check needs a running lab; static checks also run on manifests alone.</summary>
    bool NeedsRunningLab { get; }

    Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken);
}
