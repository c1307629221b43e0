using System.Text.RegularExpressions;
using OtelLab.Model;
using OtelLab.Model.Collector;
using OtelLab.Model.Crds;
using OtelLab.Model.Install;
using OtelLab.Model.Manifests;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Lint.Upgrades;

/// <summary>
/// <c>lint --upgrade-to</c>: for each OpenTelemetryCollector (its image tag moving from X to the target) or for the
/// operator (from the install's operator chart version), every catalogued change between the two versions that the
/// manifests actually hit, as findings at the line that is hit, each citing its changelog entry. A change the operator
/// in effect neutralises for the collectors it manages is reported as a note with the operator's entry.
/// </summary>
public static partial class UpgradeCheck
{
    public const string RulePrefix = "upgrade-";

    public static IReadOnlyList<Finding> Run(ManifestSet manifests, UpgradeTarget target, InstallSpec? install = null, IReadOnlyList<UpgradeEntry>? catalogue = null)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        ArgumentNullException.ThrowIfNull(target);
        catalogue ??= UpgradeCatalogue.Entries;
        var installedOperator = OperatorVersion(install);
        var operatorAfter = target.Component == "operator" ? target.Version : installedOperator;
        var findings = new List<Finding>();
        foreach (var (m, c) in manifests.Collectors)
        {
            var from = target.Component == "operator" ? installedOperator : CollectorDistribution.VersionOf(c.Image);
            var applicable = catalogue.Where(e => e.Component == target.Component && (from is null || e.Version > from) && e.Version <= target.Version);
            foreach (var entry in applicable)
            {
                foreach (var (location, detail) in Detect(entry.Detect, m, c))
                {
                    var mitigated = entry.Component == "collector" && entry.MitigatedByOperator is { } op
                        && (op == "managed" || (operatorAfter is { } after && Version.TryParse(op, out var since) && after >= since));
                    var moving = target.Component == "operator"
                        ? $"operator {(from?.ToString() ?? "(version unknown)")} → {target.Version}"
                        : $"{c.Image ?? "(operator's default image)"} → {target.Version}";
                    findings.Add(new Finding
                    {
                        RuleId = RulePrefix + entry.Id,
                        Severity = mitigated ? Severity.Note : entry.Severity,
                        Object = m.Display,
                        Location = location,
                        Message = $"{m.Display}: {moving}: {entry.Title} (since {entry.Version}){(mitigated ? "; the operator neutralises it for the collectors it manages" : "")}",
                        Evidence = [$"changelog: {entry.Reference}", detail, .. mitigated && entry.MitigationEntry is { } why ? [$"mitigation: {why}"] : Array.Empty<string>()],
                        Why = entry.Why,
                        Fix = entry.Fix,
                    });
                }
            }
        }

        return [.. findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Location.File, StringComparer.Ordinal).ThenBy(f => f.Location.Line)];
    }

    /// <summary>The operator version the declared install runs (its chart's appVersion), or null when not declared or not pinned.</summary>
    private static Version? OperatorVersion(InstallSpec? install) =>
        install?.Releases.Select(r => ChartCatalog.Find(r.ChartName, r.Version)).FirstOrDefault(c => c == ChartCatalog.OpenTelemetryOperator) is { } chart
        && Version.TryParse(chart.AppVersion.TrimStart('v'), out var v) ? v : null;

    private static IEnumerable<(SourceLocation Location, string Detail)> Detect(string detector, ManifestObject m, OpenTelemetryCollector c)
    {
        var config = c.Config;
        switch (detector)
        {
            case "otlp-receiver-default-endpoint":
                foreach (var receiver in config.Receivers.Values.Where(r => r.Id.Type == "otlp"))
                {
                    var protocols = YamlReaderChild(receiver.Settings, "protocols") as YamlMappingNode;
                    foreach (var (key, value) in protocols?.Children.Select(kv => (kv.Key, kv.Value)) ?? [])
                    {
                        if (key is YamlScalarNode { Value: "grpc" or "http" } name && YamlReaderChild(value as YamlMappingNode, "endpoint") is null)
                        {
                            yield return (config.LocationOf(key), $"receivers.{receiver.Id}.protocols.{name.Value} has no endpoint: it listens on localhost:{(name.Value == "grpc" ? 4317 : 4318)} after the upgrade");
                        }
                    }
                }

                break;
            case "bash-style-env-expansion":
                foreach (var scalar in Scalars(config.Root))
                {
                    if (BashStyle().Match(scalar.Value ?? "") is { Success: true } match)
                    {
                        yield return (config.LocationOf(scalar), $"'{match.Value}' in \"{scalar.Value}\" is $VAR syntax");
                    }
                }

                break;
            case "telemetry-metrics-address-unset":
                var metrics = YamlReaderChild(YamlReaderChild(YamlReaderChild(config.Root, "service") as YamlMappingNode, "telemetry") as YamlMappingNode, "metrics") as YamlMappingNode;
                if (YamlReaderChild(metrics, "address") is null && YamlReaderChild(metrics, "readers") is null)
                {
                    var at = YamlReaderChild(config.Root, "service") is { } service ? config.LocationOf(service) : config.Location;
                    yield return (at, "service.telemetry.metrics sets neither address nor readers: the default applies");
                }

                break;
            case var d when d.StartsWith("feature-gate:", StringComparison.Ordinal):
                var gate = d["feature-gate:".Length..];
                foreach (var scalar in Scalars(m.Find("spec", "args")))
                {
                    if (scalar.Value?.Contains(gate, StringComparison.Ordinal) == true)
                    {
                        yield return (m.Location with { Line = (int)scalar.Start.Line, Column = (int)scalar.Start.Column }, $"spec.args names {gate}: \"{scalar.Value}\"");
                    }
                }

                break;
            case var d when d.StartsWith("key:", StringComparison.Ordinal):
                var path = d["key:".Length..].Split('.');
                foreach (var component in config.AllComponents)
                {
                    YamlNode? node = component.Settings;
                    YamlNode? keyNode = null;
                    foreach (var part in path)
                    {
                        keyNode = (node as YamlMappingNode)?.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(k => k.Value == part);
                        node = YamlReaderChild(node as YamlMappingNode, part);
                    }

                    if (keyNode is not null)
                    {
                        yield return (config.LocationOf(keyNode), $"{component.Kind.ToString().ToLowerInvariant()}s.{component.Id}.{string.Join('.', path)} is set");
                    }
                }

                break;
            case var d when d.StartsWith("api-version:", StringComparison.Ordinal):
                if (c.ApiVersion == d["api-version:".Length..])
                {
                    yield return (m.LocationOf("apiVersion"), $"apiVersion: {c.ApiVersion}");
                }

                break;
            case var d when d.StartsWith("unset:", StringComparison.Ordinal):
                // unset:KIND:TYPE:KEY — a component of that type leaving KEY to its (changed) default
                var parts = d.Split(':');
                foreach (var component in config.AllComponents.Where(x => x.Id.Type == parts[2] && x.Kind.ToString().Equals(parts[1], StringComparison.OrdinalIgnoreCase)))
                {
                    if (YamlReaderChild(component.Settings, parts[3]) is null)
                    {
                        yield return (component.Location, $"{parts[1]}s.{component.Id} sets no {parts[3]}: the default applies");
                    }
                }

                break;
            case var d when d.Contains(':', StringComparison.Ordinal):
                var (kind, type) = (d[..d.IndexOf(':', StringComparison.Ordinal)], d[(d.IndexOf(':', StringComparison.Ordinal) + 1)..]);
                foreach (var component in config.AllComponents.Where(x => x.Id.Type == type && x.Kind.ToString().Equals(kind, StringComparison.OrdinalIgnoreCase)))
                {
                    yield return (component.Location, $"{kind}s.{component.Id} at {component.Location.FileAndLine}");
                }

                break;
            default:
                throw new InvalidOperationException($"upgrade catalogue: unknown detector {detector}");
        }
    }

    private static YamlNode? YamlReaderChild(YamlMappingNode? map, string key) => Model.Yaml.YamlReader.Child(map, key);

    private static IEnumerable<YamlScalarNode> Scalars(YamlNode? node) => node switch
    {
        YamlScalarNode s => [s],
        YamlMappingNode map => map.Children.Values.SelectMany(Scalars),
        YamlSequenceNode seq => seq.Children.SelectMany(Scalars),
        _ => [],
    };

    // $FOO or $FOO_BAR, not ${...} and not the $$ escape (upstream confmap expandconverter).
    [GeneratedRegex(@"(?<!\$)\$(?![{$])[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex BashStyle();
}
