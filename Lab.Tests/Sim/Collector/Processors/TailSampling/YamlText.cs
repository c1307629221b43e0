using YamlDotNet.RepresentationModel;

namespace OtelLab.Tests.Sim.Collector.Processors.TailSampling;

internal static class YamlText
{
    /// <summary>Parses a YAML document whose root is a mapping.</summary>
    public static YamlMappingNode Mapping(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
