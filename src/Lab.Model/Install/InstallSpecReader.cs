using OtelLab.Model.Yaml;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Model.Install;

/// <summary>
/// Reads <c>install:</c> of scenario.yaml: <c>releases:</c>, each one <c>helm upgrade --install</c> in Helm's words
/// (<c>name, chart, repo, version, namespace, createNamespace, set: [k=v, …], values: [file, …]</c>). Bad input throws
/// <see cref="ManifestException"/> at the offending line, with the fix.
/// </summary>
public static class InstallSpecReader
{
    private static readonly string[] ReleaseKeys = ["name", "chart", "repo", "version", "namespace", "createNamespace", "set", "values"];
    private const string Example = "e.g. { name: opentelemetry-operator, chart: open-telemetry/opentelemetry-operator, version: 0.74.2, namespace: opentelemetry-operator-system, set: [admissionWebhooks.certManager.enabled=true] }";

    public static InstallSpec Read(YamlReader r, YamlMappingNode? install, string scenarioDirectory)
    {
        if (install is null)
        {
            return InstallSpec.None;
        }

        foreach (var key in install.Children.Keys.OfType<YamlScalarNode>().Where(k => k.Value != "releases"))
        {
            throw new ManifestException(r.At(key), $"install.{key.Value}: unknown key", "install takes: releases (a list of Helm releases)");
        }

        var list = r.Sequence(install, "releases", "install.releases");
        var releases = new List<HelmRelease>();
        for (var i = 0; i < (list?.Children.Count ?? 0); i++)
        {
            var path = $"install.releases[{i}]";
            if (list!.Children[i] is not YamlMappingNode map)
            {
                throw r.TypeError(list.Children[i], path, $"a mapping, {Example}");
            }

            foreach (var key in map.Children.Keys.OfType<YamlScalarNode>().Where(k => !ReleaseKeys.Contains(k.Value, StringComparer.Ordinal)))
            {
                throw new ManifestException(r.At(key), $"{path}.{key.Value}: unknown key", $"a release takes: {string.Join(", ", ReleaseKeys)}");
            }

            var name = Required(r, map, "name", path, "the release name, as in helm install NAME CHART");
            if (releases.Any(x => x.Name == name))
            {
                throw new ManifestException(r.At(YamlReader.Child(map, "name")!), $"{path}.name: release {name} is declared twice", "give each release its own name");
            }

            var set = new List<HelmSetValue>();
            foreach (var item in r.Sequence(map, "set", $"{path}.set")?.Children ?? [])
            {
                if (item is not YamlScalarNode { Value: { Length: > 0 } expression })
                {
                    throw r.TypeError(item, $"{path}.set[]", "a --set expression such as crds.enabled=true");
                }

                var location = r.At(item);
                try
                {
                    HelmStrvals.Paths(expression);
                }
                catch (FormatException e)
                {
                    throw new ManifestException(location, $"{path}.set: {expression}: {e.Message}", "write key=value, a.b=c, list={x,y} or list[0]=x, as helm --set takes them");
                }

                set.Add(new HelmSetValue(expression, location));
            }

            var values = new List<HelmValuesFile>();
            var valuesNode = YamlReader.Child(map, "values");
            foreach (var item in valuesNode is YamlScalarNode single ? [single] : r.Sequence(map, "values", $"{path}.values")?.Children ?? [])
            {
                if (item is not YamlScalarNode { Value: { Length: > 0 } file })
                {
                    throw r.TypeError(item, $"{path}.values", "a values file path, or a list of them");
                }

                var full = Path.Combine(scenarioDirectory, file);
                if (!File.Exists(full))
                {
                    throw new ManifestException(r.At(item), $"{path}.values: {file} does not exist", "give a values file path relative to the scenario folder");
                }

                values.Add(new HelmValuesFile(full, r.At(item)));
            }

            var release = new HelmRelease
            {
                Name = name,
                Chart = Required(r, map, "chart", path, "the chart as on the command line, e.g. open-telemetry/opentelemetry-operator"),
                Version = Required(r, map, "version", path, "the chart version (--version), e.g. 0.74.2"),
                Repo = r.String(map, "repo", $"{path}.repo"),
                Namespace = r.String(map, "namespace", $"{path}.namespace") ?? "default",
                CreateNamespace = r.Bool(map, "createNamespace", $"{path}.createNamespace") ?? false,
                Set = set,
                Values = values,
                Location = r.At(map),
            };

            // Read the values files now: broken YAML in one fails here, at its own file:line, not later in a rule.
            HelmValues.UserValues(release);
            releases.Add(release);
        }

        return new InstallSpec { Releases = releases };
    }

    private static string Required(YamlReader r, YamlMappingNode map, string key, string path, string what) =>
        r.String(map, key, $"{path}.{key}") is { Length: > 0 } value
            ? value
            : throw new ManifestException(r.At(map), $"{path}: {key}: is missing", $"give {what}");
}
