using System.Globalization;
using OtelLab.Model;
using OtelLab.Model.Go;
using OtelLab.Model.Install;
using OtelLab.Model.Yaml;
using OtelLab.Sim.Vault;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Scenarios.Definition;

/// <summary>
/// Reads <c>scenario.yaml</c>. Bad input throws <see cref="ManifestException"/> with file:line and a fix; unknown keys
/// are refused (a typo must not silently disable an expectation).
/// </summary>
public static class ScenarioLoader
{
    private static readonly string[] TopKeys = ["name", "description", "manifests", "cluster", "timeScale", "targets", "load", "backends", "vault", "expectations", "variants", "faults", "install", "gitops", "steps"];

    /// <summary>Loads <c>DIR/scenario.yaml</c>.</summary>
    public static ScenarioDefinition Load(string directory)
    {
        var file = Path.Combine(directory, "scenario.yaml");
        if (!System.IO.File.Exists(file))
        {
            throw new ManifestException(new SourceLocation(file, 0, 0), $"{file}: no scenario.yaml here", "a scenario is a folder with scenario.yaml and manifests/");
        }

        return Parse(file, System.IO.File.ReadAllText(file));
    }

    /// <summary>A scenario around a user's own manifests folder (<c>--manifests DIR</c>): defaults for everything else.</summary>
    public static ScenarioDefinition FromManifests(string manifests) => new()
    {
        Name = Path.GetFileName(Path.GetFullPath(manifests).TrimEnd(Path.DirectorySeparatorChar)),
        Description = $"the manifests in {manifests}",
        ManifestsPath = manifests,
    };

    public static ScenarioDefinition Parse(string file, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ManifestException(new SourceLocation(file, (int)e.Start.Line, (int)e.Start.Column),
                $"invalid YAML: {(e.InnerException ?? e).Message}", "check indentation and quoting near this position");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ManifestException(new SourceLocation(file, 1, 1), "scenario.yaml must be a mapping", "start with name: and manifests:");
        }

        var r = new YamlReader(file);
        Known(r, root, "", TopKeys);
        var dir = Path.GetDirectoryName(file) ?? ".";
        var name = r.String(root, "name", "name") ?? Path.GetFileName(Path.GetFullPath(dir));
        var cluster = r.Mapping(root, "cluster", "cluster");
        Known(r, cluster, "cluster.", ["nodes", "watchOverWire"]);
        var nodes = r.Int(cluster, "nodes", "cluster.nodes") ?? 3;
        if (nodes < 1)
        {
            throw new ManifestException(r.At(YamlReader.Child(cluster, "nodes")!), "cluster.nodes: must be at least 1", "give the number of nodes, e.g. 3");
        }

        var timeScale = Number(r, root, "timeScale", "timeScale") ?? 1;
        if (timeScale <= 0)
        {
            throw new ManifestException(r.At(YamlReader.Child(root, "timeScale")!), "timeScale: must be greater than 0", "1 is real time; 10 runs 30 s intervals in 3 s");
        }

        // manifests: one folder, or a list of folders and files (a variant takes the guide's files verbatim plus its own).
        IReadOnlyList<string> manifests = YamlReader.Child(root, "manifests") is YamlSequenceNode
            ? r.StringList(root, "manifests", "manifests").Select(m => Path.Combine(dir, m)).ToList()
            : [Path.Combine(dir, r.String(root, "manifests", "manifests") ?? "manifests")];
        if (manifests.Count == 0)
        {
            throw new ManifestException(r.At(YamlReader.Child(root, "manifests")!), "manifests: the list is empty", "name at least one folder or file of Kubernetes YAML");
        }

        return new ScenarioDefinition
        {
            Name = name,
            Description = r.String(root, "description", "description") ?? "",
            File = file,
            ManifestsPath = manifests[0],
            ManifestPaths = manifests,
            Variants = r.StringList(root, "variants", "variants").Select(v => Path.GetFullPath(Path.Combine(dir, v))).ToList(),
            Nodes = nodes,
            WatchOverWire = r.Bool(cluster, "watchOverWire", "cluster.watchOverWire") ?? false,
            TimeScale = timeScale,
            Targets = ReadTargets(r, r.Mapping(root, "targets", "targets")),
            Load = ReadLoad(r, r.Mapping(root, "load", "load")),
            Backends = ReadBackends(r, r.Mapping(root, "backends", "backends")),
            Vault = VaultBlock.Parse(file, text),
            Expectations = ReadExpectations(r, r.Mapping(root, "expectations", "expectations")),
            Install = InstallSpecReader.Read(r, r.Mapping(root, "install", "install"), dir),
            Faults = FaultSpecReader.Read(r, r.Sequence(root, "faults", "faults"), (map, key, path) => Duration(r, map, key, path)),
            GitOps = ReadGitOps(r, r.Mapping(root, "gitops", "gitops"), dir),
            Steps = KubectlStepReader.Read(r, r.Sequence(root, "steps", "steps"), (map, key, path) => Duration(r, map, key, path)),
        };
    }

    private static GitOpsSpec? ReadGitOps(YamlReader r, YamlMappingNode? map, string dir)
    {
        if (map is null)
        {
            return null;
        }

        Known(r, map, "gitops.", ["repoURL", "path", "files", "changeGate", "steps"]);
        var gate = r.Mapping(map, "changeGate", "gitops.changeGate");
        Known(r, gate, "gitops.changeGate.", ["servicenow", "checks"]);
        var files = r.StringList(map, "files", "gitops.files").Select(f => Path.GetFullPath(Path.Combine(dir, f))).ToList();
        if (files.FirstOrDefault(f => !File.Exists(f)) is { } missing)
        {
            throw new ManifestException(r.At(YamlReader.Child(map, "files")!), $"gitops.files: {missing} does not exist", "list manifest files relative to the scenario folder");
        }

        return new GitOpsSpec
        {
            RepoUrl = r.String(map, "repoURL", "gitops.repoURL") ?? throw new ManifestException(r.At(map), "gitops.repoURL: missing", "give the repoURL of the scenario's Argo CD Application"),
            Path = r.String(map, "path", "gitops.path") ?? throw new ManifestException(r.At(map), "gitops.path: missing", "give the Application's spec.source.path"),
            Files = files,
            ServiceNowCredentials = r.String(gate, "servicenow", "gitops.changeGate.servicenow"),
            GateRunsChecks = r.Bool(gate, "checks", "gitops.changeGate.checks") ?? false,
            Steps = GitOpsStepReader.Read(r, r.Sequence(map, "steps", "gitops.steps"), dir, (m, key, path) => Duration(r, m, key, path)),
            Location = r.At(map),
        };
    }

    private static TargetsSpec ReadTargets(YamlReader r, YamlMappingNode? map)
    {
        Known(r, map, "targets.", ["count", "metricsPerTarget", "seriesPerMetric"]);
        var defaults = new TargetsSpec();
        return new TargetsSpec
        {
            Count = NonNegative(r, map, "count", "targets.count") ?? defaults.Count,
            MetricsPerTarget = NonNegative(r, map, "metricsPerTarget", "targets.metricsPerTarget") ?? defaults.MetricsPerTarget,
            SeriesPerMetric = NonNegative(r, map, "seriesPerMetric", "targets.seriesPerMetric") ?? defaults.SeriesPerMetric,
        };
    }

    private static LoadSpec ReadLoad(YamlReader r, YamlMappingNode? map)
    {
        Known(r, map, "load.", ["rate", "duration", "errorRatio", "slowRatio", "services", "simulations", "otlp", "farm", "thresholds"]);
        var simulations = LoadSimulationReader.Read(r, r.Sequence(map, "simulations", "load.simulations"), (m, key, path) => Duration(r, m, key, path));
        if (simulations.Count > 0 && YamlReader.Child(map, "rate") is { } rate && !YamlReader.IsNull(rate))
        {
            throw new ManifestException(r.At(rate), "load.rate and load.simulations: give one of them",
                "load.rate is one inject of that rate into the front service; with simulations, write it as { target: trace, inject: { rate: N, interval: 1s, during: 60s } }");
        }

        var otlp = r.Mapping(map, "otlp", "load.otlp");
        Known(r, otlp, "load.otlp.", ["spansPerRequest", "protocol"]);
        var farm = r.Mapping(map, "farm", "load.farm");
        Known(r, farm, "load.farm.", ["seriesInterval"]);
        var spansPerRequest = r.Int(otlp, "spansPerRequest", "load.otlp.spansPerRequest") ?? 50;
        if (spansPerRequest < 1)
        {
            throw new ManifestException(r.At(YamlReader.Child(otlp, "spansPerRequest")!), "load.otlp.spansPerRequest: must be at least 1", "give the spans per export request, e.g. 50");
        }

        return new LoadSpec
        {
            Simulations = simulations,
            OtlpSpansPerRequest = spansPerRequest,
            OtlpProtocol = r.Enum(otlp, "protocol", "load.otlp.protocol", ["http", "grpc"]) ?? "http",
            FarmSeriesInterval = Duration(r, farm, "seriesInterval", "load.farm.seriesInterval"),
            Thresholds = LoadSimulationReader.ReadThresholds(r, map),
            RatePerSecond = Number(r, map, "rate", "load.rate") ?? 0,
            Duration = Duration(r, map, "duration", "load.duration"),
            ErrorRatio = Ratio(r, map, "errorRatio", "load.errorRatio") ?? 0,
            SlowRatio = Ratio(r, map, "slowRatio", "load.slowRatio") ?? 0,
            Services = r.StringList(map, "services", "load.services"),
        };
    }

    private static BackendsSpec ReadBackends(YamlReader r, YamlMappingNode? map)
    {
        Known(r, map, "backends.", ["dynatrace", "datadog"]);
        var defaults = new BackendsSpec();
        var dt = r.Mapping(map, "dynatrace", "backends.dynatrace");
        var dd = r.Mapping(map, "datadog", "backends.datadog");
        Known(r, dt, "backends.dynatrace.", ["hosts"]);
        Known(r, dd, "backends.datadog.", ["site"]);
        var hosts = r.StringList(dt, "hosts", "backends.dynatrace.hosts");
        return new BackendsSpec
        {
            DynatraceHosts = hosts.Count > 0 ? hosts : defaults.DynatraceHosts,
            DatadogSite = r.String(dd, "site", "backends.datadog.site") ?? defaults.DatadogSite,
        };
    }

    private static ScenarioExpectations ReadExpectations(YamlReader r, YamlMappingNode? map)
    {
        Known(r, map, "expectations.", ["lintClean", "dataWithin", "parityTolerance", "enrichmentAttribute", "enrichmentMinRatio", "startupBudget"]);
        var d = new ScenarioExpectations();
        return new ScenarioExpectations
        {
            LintClean = r.Bool(map, "lintClean", "expectations.lintClean") ?? d.LintClean,
            DataWithin = Duration(r, map, "dataWithin", "expectations.dataWithin") ?? d.DataWithin,
            ParityTolerance = Ratio(r, map, "parityTolerance", "expectations.parityTolerance") ?? d.ParityTolerance,
            EnrichmentAttribute = r.String(map, "enrichmentAttribute", "expectations.enrichmentAttribute") ?? d.EnrichmentAttribute,
            EnrichmentMinRatio = Ratio(r, map, "enrichmentMinRatio", "expectations.enrichmentMinRatio") ?? d.EnrichmentMinRatio,
            StartupBudget = Duration(r, map, "startupBudget", "expectations.startupBudget") ?? d.StartupBudget,
        };
    }

    private static void Known(YamlReader r, YamlMappingNode? map, string prefix, IReadOnlyList<string> keys)
    {
        foreach (var key in map?.Children.Keys.OfType<YamlScalarNode>() ?? [])
        {
            if (!keys.Contains(key.Value, StringComparer.Ordinal))
            {
                throw new ManifestException(r.At(key), $"{prefix}{key.Value}: unknown key", $"{(prefix.Length == 0 ? "scenario.yaml" : prefix.TrimEnd('.'))} takes: {string.Join(", ", keys)}");
            }
        }
    }

    private static double? Number(YamlReader r, YamlMappingNode? map, string key, string path)
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

    private static int? NonNegative(YamlReader r, YamlMappingNode? map, string key, string path)
    {
        var value = r.Int(map, key, path);
        return value < 0 ? throw new ManifestException(r.At(YamlReader.Child(map, key)!), $"{path}: must not be negative", "give 0 or more") : value;
    }

    private static double? Ratio(YamlReader r, YamlMappingNode? map, string key, string path)
    {
        var value = Number(r, map, key, path);
        return value is < 0 or > 1
            ? throw new ManifestException(r.At(YamlReader.Child(map, key)!), $"{path}: {value?.ToString(CultureInfo.InvariantCulture)} is not a ratio between 0 and 1", "write e.g. 0.05 for 5 %")
            : value;
    }

    /// <summary>Parses <c>--load</c> (a YAML list of simulations, as under <c>load.simulations</c>); throws <see cref="ManifestException"/> naming <c>--load</c>.</summary>
    public static IReadOnlyList<TargetedSimulation> ParseLoadOption(string text) =>
        LoadSimulationReader.ParseCommandLine(text, Duration);

    private static TimeSpan? Duration(YamlReader r, YamlMappingNode? map, string key, string path)
    {
        var text = r.String(map, key, path);
        if (text is null)
        {
            return null;
        }

        // One Go time.ParseDuration port in the lab (Lab.Sim): scenario durations read like the manifests' ("30s", "1m").
        return GoDuration.TryParse(text, out var value, out var error) && value >= TimeSpan.Zero
            ? value
            : throw new ManifestException(r.At(YamlReader.Child(map, key)!), $"{path}: {(error.Length > 0 ? error : "must not be negative")}", "write a duration such as 500ms, 30s or 1m");
    }
}
