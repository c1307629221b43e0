using System.Text.RegularExpressions;
using OtelLab.Model;
using OtelLab.Model.Yaml;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Scenarios.Definition;

/// <summary>Reads <c>steps:</c> (kubectl runs with expectations), with file:line errors that say how to fix them.</summary>
internal static class KubectlStepReader
{
    private static readonly string[] Keys = ["kubectl", "kubectlVersion", "expect", "within"];
    private static readonly string[] ExpectKeys = ["exitCode", "stdoutContains", "stdoutMatches", "stdoutNotMatches"];
    private const string Example = "{ kubectl: [get, pods, -n, observability], expect: { exitCode: 0, stdoutContains: [Running] } }";

    public static IReadOnlyList<KubectlStep> Read(YamlReader r, YamlSequenceNode? steps, Func<YamlMappingNode, string, string, TimeSpan?> duration)
    {
        var list = new List<KubectlStep>();
        for (var i = 0; i < (steps?.Children.Count ?? 0); i++)
        {
            var path = $"steps[{i}]";
            if (steps!.Children[i] is not YamlMappingNode step)
            {
                throw r.TypeError(steps.Children[i], path, "a mapping such as " + Example);
            }

            Known(r, step, path, Keys, "a step takes");
            var args = r.StringList(step, "kubectl", $"{path}.kubectl");
            if (args.Count == 0)
            {
                throw new ManifestException(r.At(step), $"{path}: kubectl: is missing or empty", "give kubectl's arguments as a list, e.g. kubectl: [get, pods, -n, observability]");
            }

            var version = r.String(step, "kubectlVersion", $"{path}.kubectlVersion") ?? KubectlStep.DefaultVersion;
            if (!Regex.IsMatch(version, @"^1\.[0-9]{2}$", RegexOptions.None, TimeSpan.FromSeconds(1)))
            {
                throw new ManifestException(r.At(YamlReader.Child(step, "kubectlVersion")!), $"{path}.kubectlVersion: \"{version}\" is not a kubectl minor version",
                    "write the minor version as 1.NN, e.g. kubectlVersion: \"1.27\" (the machine has kubectl 1.27 to 1.33)");
            }

            var within = duration(step, "within", $"{path}.within") ?? TimeSpan.Zero;
            if (within < TimeSpan.Zero)
            {
                throw new ManifestException(r.At(YamlReader.Child(step, "within")!), $"{path}.within: must not be negative", "give how long the step may be retried until it meets its expectations, e.g. within: 60s");
            }

            list.Add(new KubectlStep
            {
                Arguments = args,
                Version = version,
                Expect = ReadExpect(r, r.Mapping(step, "expect", $"{path}.expect"), $"{path}.expect"),
                Within = within,
                Location = r.At(step),
            });
        }

        return list;
    }

    private static KubectlExpectation ReadExpect(YamlReader r, YamlMappingNode? map, string path)
    {
        if (map is null)
        {
            return new KubectlExpectation();
        }

        Known(r, map, path, ExpectKeys, "expect takes");
        return new KubectlExpectation
        {
            ExitCode = r.Int(map, "exitCode", $"{path}.exitCode") ?? 0,
            StdoutContains = r.StringList(map, "stdoutContains", $"{path}.stdoutContains"),
            StdoutMatches = Pattern(r, map, "stdoutMatches", path),
            StdoutNotMatches = Pattern(r, map, "stdoutNotMatches", path),
        };
    }

    private static Regex? Pattern(YamlReader r, YamlMappingNode map, string key, string path)
    {
        var pattern = r.String(map, key, $"{path}.{key}");
        try
        {
            return pattern is null ? null : new Regex(pattern, RegexOptions.Multiline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(5));
        }
        catch (ArgumentException e)
        {
            throw new ManifestException(r.At(YamlReader.Child(map, key)!), $"{path}.{key}: not a regular expression: {e.Message}",
                $"write a .NET regular expression, single-quoted in YAML, e.g. {key}: '^otelcol_exporter_sent_spans'");
        }
    }

    private static void Known(YamlReader r, YamlMappingNode map, string path, IReadOnlyList<string> keys, string takes)
    {
        foreach (var key in map.Children.Keys.OfType<YamlScalarNode>().Where(k => !keys.Contains(k.Value, StringComparer.Ordinal)))
        {
            throw new ManifestException(r.At(key), $"{path}.{key.Value}: unknown key", $"{takes}: {string.Join(", ", keys)}");
        }
    }
}
