using OtelLab.Model.Collector;
using OtelLab.Model.Collector.Decoding;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Tests.Model.Collector.Decoding;

/// <summary>Decodes one component's settings (YAML text) against its schema and renders the problems for a collector version.</summary>
internal static class ComponentConfigTestKit
{
    public static IReadOnlyList<DecodeProblem> Decode(string kind, string type, string yaml, string version = "0.105.0")
    {
        var schema = ComponentSchemas.Find(Enum.Parse<ComponentKind>(kind, ignoreCase: true), type)
            ?? throw new InvalidOperationException($"no schema for {kind} {type}");
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var dialect = MapstructureDialect.For(Version.Parse(version));
        return new ConfigDecoder(dialect.StrictTypes).Decode(stream.Documents[0].RootNode, schema.Config);
    }

    public static IReadOnlyList<string> Lines(string kind, string type, string yaml, string version = "0.105.0")
    {
        var dialect = MapstructureDialect.For(Version.Parse(version));
        return [.. Decode(kind, type, yaml, version).Select(dialect.Line)];
    }
}
