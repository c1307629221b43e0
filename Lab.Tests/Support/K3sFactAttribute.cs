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
        // The same preflight as `up --cluster k3s`, so the skip names what this machine lacks and how to provide it
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var problems = K3sPreflight.CheckAsync(Builder().Configuration, new DockerEngineProbe(), timeout.Token).GetAwaiter().GetResult();
        return SkipReasonFor(Environment.GetEnvironmentVariable("LAB_K3S") == "1", problems);
    }

    /// <summary>The skip reason for the opt-in and the preflight's problems; null when k3s tests run.</summary>
    public static string? SkipReasonFor(bool optedIn, IReadOnlyList<K3sProblem> problems)
    {
        var missing = string.Join("; ", problems.Select(p => $"missing {p.Missing} (fix: {p.Fix})"));
        return (optedIn, problems.Count) switch
        {
            (true, 0) => null,
            (true, _) => "LAB_K3S=1 but k3s cannot start here: " + missing,
            (false, 0) => "k3s tests run with LAB_K3S=1 (README: the k3s substrate); k3s could start here",
            (false, _) => "k3s tests run with LAB_K3S=1 (README: the k3s substrate); k3s cannot start here either: " + missing,
        };
    }
}
