using System.Runtime.CompilerServices;
using OtelLab.K3s;
using OtelLab.Scenarios.Definition;

namespace OtelLab.Tests.Support;

/// <summary>
/// A test that needs the real substrate: it runs only with <c>LAB_K3S=1</c> on a machine where the k3s preflight
/// passes (a Docker engine with the k3s image; <c>LAB_K3S_IMAGES</c>/<c>LAB_K3S_CHARTS</c> name the air-gap folders
/// when there is no registry), and otherwise skips with the reason.
/// </summary>
public sealed class K3sFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Reason = new(ComputeReason);

    public K3sFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber) =>
        Skip = Reason.Value;

    /// <summary>Why k3s tests skip on this machine; null where they run.</summary>
    public static string? SkipReason => Reason.Value;

    /// <summary>The payments-fixed install with the air-gap folders the environment names.</summary>
    public static K3sClusterBuilder Builder() =>
        new K3sClusterBuilder()
            .WithInstall(ScenarioLoader.Load(RepoPaths.Scenario("payments-fixed")).Install)
            .WithImagesDirectory(Environment.GetEnvironmentVariable("LAB_K3S_IMAGES"))
            .WithChartsDirectory(Environment.GetEnvironmentVariable("LAB_K3S_CHARTS"));

    private static string? ComputeReason()
    {
        if (Environment.GetEnvironmentVariable("LAB_K3S") != "1")
        {
            return "k3s tests run with LAB_K3S=1 on a machine with a Docker engine and the images (README: the k3s substrate)";
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var problems = K3sPreflight.CheckAsync(Builder().Configuration, new DockerEngineProbe(), timeout.Token).GetAwaiter().GetResult();
        return problems.Count == 0 ? null : "LAB_K3S=1 but k3s cannot start here: " + string.Join("; ", problems.Select(p => $"missing {p.Missing} (fix: {p.Fix})"));
    }
}
