namespace OtelLab.AppHost;

/// <summary>
/// Finds the scenarios that ship with the lab: <c>./scenarios/NAME</c> when run from the repository (paths in
/// findings then read <c>scenarios/…</c>), else the copy next to the binary.
/// </summary>
internal static class BundledScenarios
{
    public const string Default = "payments";

    public static string? Locate(string name)
    {
        foreach (var root in Roots())
        {
            var dir = Path.Combine(root, name);
            if (Directory.Exists(dir))
            {
                return dir;
            }
        }

        return null;
    }

    public static IReadOnlyList<string> Names() =>
        Roots().Where(Directory.Exists)
            .SelectMany(r => Directory.EnumerateDirectories(r).Where(d => File.Exists(Path.Combine(d, "scenario.yaml"))).Select(Path.GetFileName))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// The repository's <c>SampleServices/</c> (with its <c>images.json</c>) above the current folder or the binary, or
    /// null when the lab runs outside a checkout.
    /// </summary>
    public static string? LocateSampleServices()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "SampleServices");
                if (File.Exists(Path.Combine(candidate, "images.json")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static IEnumerable<string> Roots()
    {
        yield return Path.Combine(Directory.GetCurrentDirectory(), "scenarios");
        yield return Path.Combine(AppContext.BaseDirectory, "scenarios");
    }

    /// <summary>A path relative to the current folder when it is under it (shorter, and what CI annotates).</summary>
    public static string Display(string path)
    {
        var full = Path.GetFullPath(path);
        var cwd = Directory.GetCurrentDirectory();
        var relative = Path.GetRelativePath(cwd, full);
        return relative.StartsWith("..", StringComparison.Ordinal) ? full : relative;
    }
}
