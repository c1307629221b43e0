using OtelLab.Model;
using OtelLab.Model.Yaml;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Scenarios.Definition;

/// <summary>Reads <c>faults:</c> (a list of steps), with file:line errors that say how to fix them.</summary>
internal static class FaultSpecReader
{
    private static readonly string[] Keys = ["at", "backend", "status", "for", "kill"];
    private static readonly string[] Backends = ["dynatrace", "datadog"];

    public static IReadOnlyList<FaultSpec> Read(YamlReader r, YamlSequenceNode? steps, Func<YamlMappingNode, string, string, TimeSpan?> duration)
    {
        var faults = new List<FaultSpec>();
        for (var i = 0; i < (steps?.Children.Count ?? 0); i++)
        {
            var path = $"faults[{i}]";
            if (steps!.Children[i] is not YamlMappingNode step)
            {
                throw r.TypeError(steps.Children[i], path, "a mapping such as { at: 10s, backend: dynatrace, status: 503, for: 30s }");
            }

            foreach (var key in step.Children.Keys.OfType<YamlScalarNode>().Where(k => !Keys.Contains(k.Value, StringComparer.Ordinal)))
            {
                throw new ManifestException(r.At(key), $"{path}.{key.Value}: unknown key", $"a fault step takes: {string.Join(", ", Keys)}");
            }

            var at = duration(step, "at", $"{path}.at")
                ?? throw new ManifestException(r.At(step), $"{path}: at: is missing", "say when the step happens after the load starts, e.g. at: 10s");
            var kill = r.String(step, "kill", $"{path}.kill");
            var backend = r.String(step, "backend", $"{path}.backend");
            if ((kill is null) == (backend is null))
            {
                throw new ManifestException(r.At(step), $"{path}: give either backend: (with status: and for:) or kill:, not {(kill is null ? "neither" : "both")}",
                    "e.g. { at: 10s, backend: dynatrace, status: 503, for: 30s } or { at: 15s, kill: pod/observability/otel-gateway-collector }");
            }

            if (kill is not null)
            {
                faults.Add(new FaultSpec { At = at, Kill = Pod(r, step, kill, path), Location = r.At(step) });
                continue;
            }

            if (!Backends.Contains(backend, StringComparer.Ordinal))
            {
                throw new ManifestException(r.At(YamlReader.Child(step, "backend")!), $"{path}.backend: {backend} is not a mock backend", "write dynatrace or datadog");
            }

            var status = r.Int(step, "status", $"{path}.status")
                ?? throw new ManifestException(r.At(step), $"{path}: status: is missing", "give the HTTP status the backend answers, e.g. 503 (retried) or 400 (dropped)");
            if (status is < 400 or > 599)
            {
                throw new ManifestException(r.At(YamlReader.Child(step, "status")!), $"{path}.status: {status} is not an HTTP error status", "give 400–599, e.g. 503");
            }

            var period = duration(step, "for", $"{path}.for");
            if (period is not { } length || length <= TimeSpan.Zero)
            {
                throw new ManifestException(r.At(YamlReader.Child(step, "for") ?? step), $"{path}: for: is {(period is null ? "missing" : "not positive")}", "say how long the backend fails, e.g. for: 30s");
            }

            faults.Add(new FaultSpec { At = at, Backend = backend, Status = status, For = length, Location = r.At(step) });
        }

        return faults;
    }

    private static (string Namespace, string Name) Pod(YamlReader r, YamlMappingNode step, string kill, string path)
    {
        var parts = kill.Split('/');
        return parts is ["pod", { Length: > 0 } ns, { Length: > 0 } name]
            ? (ns, name)
            : throw new ManifestException(r.At(YamlReader.Child(step, "kill")!), $"{path}.kill: {kill} does not name a pod", "write pod/<namespace>/<name or name prefix>, e.g. pod/observability/otel-gateway-collector");
    }
}
