using System.Globalization;
using OtelLab.Load.Simulations;
using OtelLab.Model;
using OtelLab.Model.Yaml;
using OtelLab.Scenarios.Loads;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Scenarios.Definition;

/// <summary>
/// Reads <c>load.simulations</c> (and the same list given as <c>--load</c> on the command line) in NBomber's terms,
/// with file:line errors that say what is wrong and how to write it.
/// </summary>
internal static class LoadSimulationReader
{
    private static readonly string[] Kinds = ["inject", "rampingInject", "keepConstant", "rampingConstant", "pause"];
    private const string Example = "e.g. { target: trace, inject: { rate: 10, interval: 1s, during: 30s } }, { rampingConstant: { copies: 5, during: 20s } } or { pause: 10s }";

    public static IReadOnlyList<TargetedSimulation> Read(YamlReader r, YamlSequenceNode? list, Func<YamlMappingNode, string, string, TimeSpan?> duration)
    {
        var result = new List<TargetedSimulation>();
        for (var i = 0; i < (list?.Children.Count ?? 0); i++)
        {
            var path = $"load.simulations[{i}]";
            if (list!.Children[i] is not YamlMappingNode item)
            {
                throw r.TypeError(list.Children[i], path, "a mapping, " + Example);
            }

            foreach (var key in item.Children.Keys.OfType<YamlScalarNode>().Where(k => k.Value != "target" && !Kinds.Contains(k.Value, StringComparer.Ordinal)))
            {
                throw new ManifestException(r.At(key), $"{path}.{key.Value}: unknown key", $"a simulation takes target: and one of {string.Join(", ", Kinds)}");
            }

            var kinds = Kinds.Where(k => YamlReader.Child(item, k) is not null).ToList();
            if (kinds.Count != 1)
            {
                throw new ManifestException(r.At(item), $"{path}: {(kinds.Count == 0 ? "no simulation" : "several simulations (" + string.Join(", ", kinds) + ")")} in one entry",
                    $"give exactly one of {string.Join(", ", Kinds)} per entry (a sequence is several entries), {Example}");
            }

            var target = r.String(item, "target", $"{path}.target") ?? TargetedSimulation.Trace;
            if (!TargetedSimulation.Targets.Contains(target, StringComparer.Ordinal))
            {
                throw new ManifestException(r.At(YamlReader.Child(item, "target")!), $"{path}.target: {target} is not a load target",
                    "write trace (requests into the front service), otlp (raw spans to the agent) or farm (scrape-target churn)");
            }

            var kind = kinds[0];
            var where = $"{r.File}:{r.At(item).Line}";
            result.Add(new TargetedSimulation(target, ReadOne(r, item, kind, $"{path}.{kind}", duration) with { Source = where }));
        }

        return result;
    }

    /// <summary>Parses <c>--load</c>: the same list as <c>load.simulations</c>, as YAML (flow style fits one line).</summary>
    public static IReadOnlyList<TargetedSimulation> ParseCommandLine(string text, Func<YamlReader, YamlMappingNode, string, string, TimeSpan?> duration)
    {
        const string file = "--load";
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ManifestException(new SourceLocation(file, (int)e.Start.Line, (int)e.Start.Column), $"invalid YAML: {(e.InnerException ?? e).Message}",
                "write a YAML list, " + Example.Replace("e.g. ", "e.g. '[", StringComparison.Ordinal) + "]'");
        }

        var r = new YamlReader(file);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlSequenceNode list)
        {
            throw new ManifestException(new SourceLocation(file, 1, 1), "--load must be a YAML list of simulations", "write e.g. '[{inject: {rate: 10, interval: 1s, during: 30s}}]'");
        }

        var simulations = Read(r, list, (map, key, path) => duration(r, map, key, path));
        return simulations.Count > 0 ? simulations : throw new ManifestException(r.At(list), "--load: the list is empty", "give at least one simulation");
    }

    public static IReadOnlyList<LoadThreshold> ReadThresholds(YamlReader r, YamlMappingNode? load)
    {
        var list = r.Sequence(load, "thresholds", "load.thresholds");
        var result = new List<LoadThreshold>();
        for (var i = 0; i < (list?.Children.Count ?? 0); i++)
        {
            var node = list!.Children[i];
            if (node is not YamlScalarNode { Value: { } text })
            {
                throw r.TypeError(node, $"load.thresholds[{i}]", "a string such as \"p99 < 400ms\"");
            }

            if (!LoadThreshold.TryParse(text, out var threshold, out var error))
            {
                throw new ManifestException(r.At(node), $"load.thresholds[{i}]: {error}", "write e.g. \"p99 < 400ms\", \"fail rate < 1%\" or \"dropped == 0\"");
            }

            result.Add(threshold!);
        }

        return result;
    }

    private static LoadSimulation ReadOne(YamlReader r, YamlMappingNode item, string kind, string path, Func<YamlMappingNode, string, string, TimeSpan?> duration)
    {
        var node = YamlReader.Child(item, kind)!;
        if (kind == "pause" && node is YamlScalarNode)
        {
            // pause: 10s (NBomber's Pause(during)) or pause: { during: 10s }
            return new PauseSimulation { During = Positive(r, node, path, duration(item, kind, path)) };
        }

        if (node is not YamlMappingNode map)
        {
            throw r.TypeError(node, path, kind == "pause" ? "a duration such as 10s" : "a mapping, " + Example);
        }

        string[] keys = kind switch
        {
            "inject" or "rampingInject" => ["rate", "interval", "during"],
            "keepConstant" or "rampingConstant" => ["copies", "during"],
            _ => ["during"],
        };
        foreach (var key in map.Children.Keys.OfType<YamlScalarNode>().Where(k => !keys.Contains(k.Value, StringComparer.Ordinal)))
        {
            throw new ManifestException(r.At(key), $"{path}.{key.Value}: unknown key", $"{kind} takes: {string.Join(", ", keys)}");
        }

        var during = Positive(r, YamlReader.Child(map, "during") ?? map, $"{path}.during",
            duration(map, "during", $"{path}.during") ?? throw new ManifestException(r.At(map), $"{path}: during: is missing", "say how long the phase lasts, e.g. during: 30s"));
        switch (kind)
        {
            case "inject" or "rampingInject":
                var rate = Number(r, map, "rate", $"{path}.rate") ?? throw new ManifestException(r.At(map), $"{path}: rate: is missing", "give the invocations started per interval, e.g. rate: 10");
                if (rate < 0)
                {
                    throw new ManifestException(r.At(YamlReader.Child(map, "rate")!), $"{path}.rate: must not be negative", "give 0 or more invocations per interval");
                }

                var interval = duration(map, "interval", $"{path}.interval") ?? TimeSpan.FromSeconds(1);
                interval = Positive(r, YamlReader.Child(map, "interval") ?? map, $"{path}.interval", interval);
                if (interval > during)
                {
                    throw new ManifestException(r.At(YamlReader.Child(map, "interval")!), $"{path}.interval: {interval.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s is longer than during",
                        "an interval is how often a portion is injected; make it at most the phase's during");
                }

                return kind == "inject"
                    ? new InjectSimulation { Rate = rate, Interval = interval, During = during }
                    : new RampingInjectSimulation { Rate = rate, Interval = interval, During = during };
            case "keepConstant" or "rampingConstant":
                var copies = r.Int(map, "copies", $"{path}.copies") ?? throw new ManifestException(r.At(map), $"{path}: copies: is missing", "give the concurrent copies, e.g. copies: 5");
                if (copies < 0)
                {
                    throw new ManifestException(r.At(YamlReader.Child(map, "copies")!), $"{path}.copies: must not be negative", "give 0 or more copies");
                }

                return kind == "keepConstant"
                    ? new KeepConstantSimulation { Copies = copies, During = during }
                    : new RampingConstantSimulation { Copies = copies, During = during };
            default:
                return new PauseSimulation { During = during };
        }
    }

    private static TimeSpan Positive(YamlReader r, YamlNode node, string path, TimeSpan? value) =>
        value is { } v && v > TimeSpan.Zero ? v : throw new ManifestException(r.At(node), $"{path}: {(value is null ? "is missing" : "must be longer than 0")}", "write a duration such as 500ms, 30s or 1m");

    private static double? Number(YamlReader r, YamlMappingNode map, string key, string path)
    {
        var node = YamlReader.Child(map, key);
        if (YamlReader.IsNull(node))
        {
            return null;
        }

        return node is YamlScalarNode { Style: ScalarStyle.Plain } s && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v
            : throw r.TypeError(node!, path, "a number");
    }
}
