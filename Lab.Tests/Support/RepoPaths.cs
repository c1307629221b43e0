namespace OtelLab.Tests.Support;

/// <summary>Locates the repository from the test binary (the folder holding Lab.sln).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = Find();

    public static string Scenario(string name) => Path.Combine(Root, "scenarios", name);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Lab.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Lab.sln not found above {AppContext.BaseDirectory}");
    }
}
