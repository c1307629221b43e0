using OtelLab.Model;
using OtelLab.Model.Install;

namespace OtelLab.Lint.Internal;

/// <summary>Where a release's value came from: the <c>--set</c> that sets the key, else the values file, else the release.</summary>
internal static class ReleaseValues
{
    public static SourceLocation LocationOf(HelmRelease release, IReadOnlyList<string> key)
    {
        foreach (var set in release.Set.Reverse())
        {
            if (HelmStrvals.Paths(set.Expression).Any(p => Overlaps(p, key)))
            {
                return set.Location;
            }
        }

        return release.Values.Count > 0 ? release.Values[^1].Location : release.Location;
    }

    /// <summary>The <c>--set</c> expression behind the key, for the message (null when it came from a values file).</summary>
    public static string? SetOf(HelmRelease release, IReadOnlyList<string> key) =>
        release.Set.Reverse().FirstOrDefault(s => HelmStrvals.Paths(s.Expression).Any(p => Overlaps(p, key)))?.Expression;

    private static bool Overlaps(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var n = Math.Min(a.Count, b.Count);
        return n > 0 && a.Take(n).SequenceEqual(b.Take(n), StringComparer.Ordinal);
    }
}
