using OtelLab.Model;
using OtelLab.Model.Yaml;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Scenarios.Definition;

/// <summary>Reads <c>gitops.steps</c>, with file:line errors that say how to fix them.</summary>
internal static class GitOpsStepReader
{
    private static readonly string[] Verbs = ["commit", "approve", "reject", "wait", "waitForSync", "delete"];
    private static readonly string[] Keys = [.. Verbs, "put", "remove"];

    public static IReadOnlyList<GitOpsStep> Read(YamlReader r, YamlSequenceNode? steps, string dir, Func<YamlMappingNode, string, string, TimeSpan?> duration)
    {
        var list = new List<GitOpsStep>();
        for (var i = 0; i < (steps?.Children.Count ?? 0); i++)
        {
            var path = $"gitops.steps[{i}]";
            if (steps!.Children[i] is not YamlMappingNode step)
            {
                throw r.TypeError(steps.Children[i], path, "a mapping such as { commit: \"message\", put: { gateway.yaml: revisions/gateway.yaml } }");
            }

            foreach (var key in step.Children.Keys.OfType<YamlScalarNode>().Where(k => !Keys.Contains(k.Value, StringComparer.Ordinal)))
            {
                throw new ManifestException(r.At(key), $"{path}.{key.Value}: unknown key", $"a step takes one of {string.Join(", ", Verbs)} (a commit also put: and remove:)");
            }

            var verbs = Verbs.Where(v => YamlReader.Child(step, v) is not null).ToList();
            if (verbs.Count != 1)
            {
                throw new ManifestException(r.At(step), $"{path}: {(verbs.Count == 0 ? "no action" : "several actions: " + string.Join(", ", verbs))}",
                    $"give exactly one of {string.Join(", ", Verbs)}");
            }

            var location = r.At(step);
            list.Add(verbs[0] switch
            {
                "commit" => Commit(r, step, path, dir, location),
                "approve" or "reject" => new GitOpsStep
                {
                    Kind = verbs[0] == "approve" ? GitOpsStepKind.Approve : GitOpsStepKind.Reject,
                    Text = r.String(step, verbs[0], $"{path}.{verbs[0]}") ?? "CAB",
                    Location = location,
                },
                "delete" => Delete(r, step, path, location),
                _ => Timed(r, step, verbs[0], path, location, duration),
            });
        }

        return list;
    }

    private static GitOpsStep Commit(YamlReader r, YamlMappingNode step, string path, string dir, SourceLocation location)
    {
        var message = r.String(step, "commit", $"{path}.commit");
        if (string.IsNullOrWhiteSpace(message))
        {
            throw new ManifestException(location, $"{path}.commit: the commit message is empty", "write the commit's subject, e.g. commit: \"gateway: drop cumulativetodelta\"");
        }

        var put = new List<(string, string)>();
        if (r.Mapping(step, "put", $"{path}.put") is { } files)
        {
            foreach (var (key, value) in files.Children)
            {
                var file = ((YamlScalarNode)key).Value!;
                var source = (value as YamlScalarNode)?.Value;
                var full = source is null ? null : Path.GetFullPath(Path.Combine(dir, source));
                if (full is null || !File.Exists(full))
                {
                    throw new ManifestException(r.At(value), $"{path}.put.{file}: {(full ?? "(empty)")} does not exist", "map each file under the Application's path to a file relative to the scenario folder");
                }

                put.Add((file, full));
            }
        }

        var remove = r.StringList(step, "remove", $"{path}.remove");
        if (put.Count == 0 && remove.Count == 0)
        {
            throw new ManifestException(location, $"{path}: the commit changes nothing", "add put: { FILE: SOURCE } or remove: [FILE]");
        }

        return new GitOpsStep { Kind = GitOpsStepKind.Commit, Text = message, Put = put, Remove = remove, Location = location };
    }

    private static GitOpsStep Delete(YamlReader r, YamlMappingNode step, string path, SourceLocation location)
    {
        var text = r.String(step, "delete", $"{path}.delete") ?? string.Empty;
        return text.Split('/') is [{ Length: > 0 } kind, { Length: > 0 } ns, { Length: > 0 } name]
            ? new GitOpsStep { Kind = GitOpsStepKind.Delete, Target = (kind, ns, name), Location = location }
            : throw new ManifestException(r.At(YamlReader.Child(step, "delete")!), $"{path}.delete: {text} does not name an object", "write KIND/NAMESPACE/NAME, e.g. configmap/observability/otel-pipeline-owners");
    }

    private static GitOpsStep Timed(YamlReader r, YamlMappingNode step, string verb, string path, SourceLocation location, Func<YamlMappingNode, string, string, TimeSpan?> duration)
    {
        var length = duration(step, verb, $"{path}.{verb}");
        if (length is not { } d || d <= TimeSpan.Zero)
        {
            throw new ManifestException(r.At(YamlReader.Child(step, verb)!), $"{path}.{verb}: not a positive duration", $"e.g. {verb}: 30s");
        }

        return new GitOpsStep { Kind = verb == "wait" ? GitOpsStepKind.Wait : GitOpsStepKind.WaitForSync, Duration = d, Location = location };
    }
}
