using OtelLab.Model;
using OtelLab.Scenarios.Definition;

namespace OtelLab.AppHost.Lab;

/// <summary>Turns <c>--scenario NAME</c> / <c>--manifests DIR</c> into a scenario, or prints why not (file:line, fix) for exit code 2.</summary>
internal static class ScenarioSelection
{
    public static async Task<ScenarioDefinition?> ResolveAsync(string? name, string? manifests, TextWriter stderr)
    {
        try
        {
            if (manifests is not null)
            {
                if (!Directory.Exists(manifests))
                {
                    await stderr.WriteLineAsync($"error: --manifests {manifests}: no such folder").ConfigureAwait(false);
                    await stderr.WriteLineAsync("  fix: give the folder your GitOps repo applies (plain Kubernetes YAML, as for kubectl apply -f)").ConfigureAwait(false);
                    return null;
                }

                return ScenarioLoader.FromManifests(BundledScenarios.Display(manifests));
            }

            name ??= BundledScenarios.Default;
            var dir = BundledScenarios.Locate(name);
            if (dir is null)
            {
                await stderr.WriteLineAsync($"error: --scenario {name}: no such scenario (bundled: {string.Join(", ", BundledScenarios.Names())})").ConfigureAwait(false);
                await stderr.WriteLineAsync("  fix: pick a bundled scenario, or run your own manifests with --manifests DIR").ConfigureAwait(false);
                return null;
            }

            return ScenarioLoader.Load(BundledScenarios.Display(dir));
        }
        catch (ManifestException e)
        {
            await PrintAsync(stderr, [e.ToError()]).ConfigureAwait(false);
            return null;
        }
    }

    public static async Task PrintAsync(TextWriter stderr, IReadOnlyList<ManifestError> errors)
    {
        await stderr.WriteLineAsync($"error: {errors.Count} problem(s) make the input unusable:").ConfigureAwait(false);
        foreach (var e in errors)
        {
            await stderr.WriteLineAsync($"  {e.Location}: {e.Message}").ConfigureAwait(false);
            if (e.Hint is not null)
            {
                await stderr.WriteLineAsync($"    fix: {e.Hint}").ConfigureAwait(false);
            }
        }
    }

    /// <summary>Parses a Go-style duration (<c>60s</c>, <c>1m30s</c>, <c>500ms</c>).</summary>
    public static bool TryParseDuration(string text, out TimeSpan value, out string error) =>
        global::OtelLab.Model.Go.GoDuration.TryParse(text, out value, out error);
}
