using OtelLab.Scenarios.Definition;
using OtelLab.Scenarios.Loads;

namespace OtelLab.AppHost.Commands;

/// <summary><c>load --find-limit</c>: the step search (raise the rate until a threshold breaks).</summary>
internal static class LimitSearchCommand
{
    public static async Task<int> RunAsync(ScenarioDefinition scenario, IReadOnlyList<LoadThreshold> thresholds, string directory, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        _ = scenario;
        _ = thresholds;
        _ = directory;
        _ = stdout;
        _ = cancellationToken;
        await stderr.WriteLineAsync("error: --find-limit is not built yet").ConfigureAwait(false);
        return LabCli.ExitUsage;
    }
}
