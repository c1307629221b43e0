using OtelLab.Lint;

namespace OtelLab.Scenarios.Comparing;

/// <summary>Two revisions' findings matched by rule and object: introduced by the head, fixed by it, or present in both.</summary>
public sealed record FindingsDiff(IReadOnlyList<Finding> Introduced, IReadOnlyList<Finding> Fixed, IReadOnlyList<Finding> Unchanged)
{
    public static FindingsDiff Of(IReadOnlyList<Finding> before, IReadOnlyList<Finding> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        static string Key(Finding f) => f.RuleId + "\u0000" + f.Object;
        var was = before.Select(Key).ToHashSet(StringComparer.Ordinal);
        var now = after.Select(Key).ToHashSet(StringComparer.Ordinal);
        return new FindingsDiff(
            [.. after.Where(f => !was.Contains(Key(f)))],
            [.. before.Where(f => !now.Contains(Key(f)))],
            [.. after.Where(f => was.Contains(Key(f)))]);
    }

    public int IntroducedErrors => Introduced.Count(f => f.Severity == Severity.Error);
}
