namespace OtelLab.Lint;

/// <summary>A static check over a whole deployment (CRs, RBAC, workloads, annotations, config).</summary>
public abstract class LintRule
{
    /// <summary>Stable kebab-case id, used in SARIF and to suppress.</summary>
    public abstract string Id { get; }

    public abstract string Title { get; }

    public abstract Severity Severity { get; }

    /// <summary>Why it matters, citing the upstream source (a file in an upstream repository or a URL).</summary>
    public abstract string Why { get; }

    public abstract IEnumerable<Finding> Check(LintContext context);

    protected Finding Create(string obj, Model.SourceLocation location, string message, string fix, IReadOnlyList<string>? evidence = null, Severity? severity = null) =>
        new()
        {
            RuleId = Id,
            Severity = severity ?? Severity,
            Object = obj,
            Location = location,
            Message = message,
            Evidence = evidence ?? [],
            Why = Why,
            Fix = fix,
        };
}
