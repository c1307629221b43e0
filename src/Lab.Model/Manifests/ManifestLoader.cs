using System.Text;
using OtelLab.Model.Manifests.Internal;
using OtelLab.Model.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Model.Manifests;

/// <summary>
/// Loads manifests the way <c>kubectl apply -f</c> does: files or folders (<c>-R</c> to recurse), multi-document
/// YAML (and JSON), empty documents skipped, namespaced objects defaulted to the given namespace. Bad input becomes
/// <see cref="ManifestError"/>s with file:line:column; loading never throws for bad manifests.
/// </summary>
public static class ManifestLoader
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public static ManifestSet Load(IEnumerable<string> paths, bool recursive = false, string defaultNamespace = "default")
    {
        ArgumentNullException.ThrowIfNull(paths);
        var objects = new List<ManifestObject>();
        var errors = new List<ManifestError>();
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var option = recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly;
                var found = Directory.EnumerateFiles(path, "*", option)
                    .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (found.Count == 0)
                {
                    errors.Add(new ManifestError(new SourceLocation(path, 0, 0), "no .yaml, .yml or .json files in this folder",
                        recursive ? "point at a folder of manifests" : "pass -R to search sub-folders"));
                }

                files.AddRange(found);
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                errors.Add(new ManifestError(new SourceLocation(path, 0, 0), "no such file or folder",
                    "check the path (relative paths are resolved from the current folder)"));
            }
        }

        foreach (var file in files)
        {
            LoadFile(file, File.ReadAllText(file), defaultNamespace, objects, errors);
        }

        return new ManifestSet { Objects = objects, Errors = errors, Files = files };
    }

    /// <summary>Loads manifests from text (tests, stdin); <paramref name="file"/> names them in positions.</summary>
    public static ManifestSet LoadText(string file, string text, string defaultNamespace = "default")
    {
        var objects = new List<ManifestObject>();
        var errors = new List<ManifestError>();
        LoadFile(file, text, defaultNamespace, objects, errors);
        return new ManifestSet { Objects = objects, Errors = errors, Files = [file] };
    }

    private static void LoadFile(string file, string text, string defaultNamespace, List<ManifestObject> objects, List<ManifestError> errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var inner = e.InnerException?.Message ?? e.Message;
            errors.Add(new ManifestError(
                new SourceLocation(file, (int)e.Start.Line, (int)e.Start.Column),
                $"invalid YAML: {Clean(inner)}",
                "check indentation, quoting and that every key is followed by ': ' near this position"));
            return;
        }

        var reader = new YamlReader(file);
        var lines = text.Split('\n');
        foreach (var document in stream.Documents)
        {
            var root = document.RootNode;
            if (YamlReader.IsNull(root))
            {
                continue;
            }

            try
            {
                if (root is not YamlMappingNode map)
                {
                    throw new ManifestException(reader.At(root),
                        $"expected a Kubernetes object (a mapping with apiVersion, kind and metadata), found {YamlReader.Describe(root)}");
                }

                var item = ObjectReader.Read(map, reader, lines, defaultNamespace);
                objects.Add(item);
            }
            catch (ManifestException e)
            {
                errors.Add(e.ToError());
            }
        }
    }

    internal static string Clean(string message)
    {
        // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (…): "; the location is already ours.
        var marker = message.LastIndexOf("): ", StringComparison.Ordinal);
        return marker >= 0 && message.StartsWith("(Line", StringComparison.Ordinal) ? message[(marker + 3)..] : message;
    }

    internal static string Slice(string[] lines, YamlNode node)
    {
        // Keep the document at its original line numbers so a typed reader's errors point into the file.
        // YamlDotNet gives a mapping node's End as its start: the document ends where its last scalar does.
        var start = (int)node.Start.Line;
        var end = LastLine(node);

        var sb = new StringBuilder();
        sb.Append('\n', start - 1);
        for (var i = start - 1; i < Math.Min(end, lines.Length); i++)
        {
            sb.Append(lines[i].TrimEnd('\r')).Append('\n');
        }

        return sb.ToString();
    }

    private static int LastLine(YamlNode node)
    {
        var own = node.End.Column == 1 && node.End.Line > node.Start.Line ? (int)node.End.Line - 1 : (int)node.End.Line;
        return node switch
        {
            YamlMappingNode m => m.Children.Aggregate(own, (max, kv) => Math.Max(max, Math.Max(LastLine(kv.Key), LastLine(kv.Value)))),
            YamlSequenceNode q => q.Children.Aggregate(own, (max, c) => Math.Max(max, LastLine(c))),
            _ => own,
        };
    }
}
