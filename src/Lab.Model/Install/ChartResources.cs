namespace OtelLab.Model.Install;

/// <summary>Reads the chart files embedded in this assembly (<c>Install/Charts/</c>).</summary>
internal static class ChartResources
{
    public static string Read(string name)
    {
        using var stream = typeof(ChartResources).Assembly.GetManifestResourceStream($"charts/{name}")
            ?? throw new InvalidOperationException($"embedded chart file charts/{name} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
