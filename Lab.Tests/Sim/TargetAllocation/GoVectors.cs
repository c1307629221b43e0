namespace OtelLab.Tests.Sim.TargetAllocation;

/// <summary>Reads testdata/go-vectors.tsv (produced by Go; provenance in testdata/README.md).</summary>
internal static class GoVectors
{
    private static readonly Lazy<string[][]> Rows = new(() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Sim", "TargetAllocation", "testdata", "go-vectors.tsv"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .ToArray());

    public static IEnumerable<string[]> Of(string kind) => Rows.Value.Where(r => r[0] == kind);

    public static string[] Members(string set) => Of("members").Single(r => r[1] == set)[2].Split(',');

    public static string Target(int i) => $"10.42.{i / 250}.{i % 250}:9100";

    public static string[] Names(int count) => [.. Enumerable.Range(0, count).Select(i => $"otel-prometheus-collector-{i}")];
}
