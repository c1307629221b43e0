using OtelLab.Model.Collector;
using OtelLab.Model.Collector.Decoding;
using OtelLab.Model.Yaml;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Tests.Model.Collector.Decoding;

/// <summary>
/// The whole start error as each collector version prints it: go-viper/mapstructure's format changed at v0.106
/// (joined errors) and v0.129 (DecodeError), strict typing arrived in v0.105 with a hint until v0.108.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ComponentConfigDialectTests
{
    private const string TypoInBatch = """
        receivers: {otlp: {protocols: {grpc: {}}}}
        processors: {batch: {timout: 5s}}
        exporters: {debug: {}}
        service: {pipelines: {traces: {receivers: [otlp], processors: [batch], exporters: [debug]}}}
        """;

    private const string IntPortInLoadBalancing = """
        receivers: {otlp: {protocols: {grpc: {}}}}
        exporters: {loadbalancing: {protocol: {otlp: {}}, resolver: {dns: {hostname: gw, port: 4317}}}}
        service: {pipelines: {traces: {receivers: [otlp], exporters: [loadbalancing]}}}
        """;

    [Theory]
    [InlineData("0.105.0", "failed to get config: cannot unmarshal the configuration: 1 error(s) decoding:\n\n* error decoding 'processors': error reading configuration for \"batch\": 1 error(s) decoding:\n\n* '' has invalid keys: timout")]
    [InlineData("0.110.0", "failed to get config: cannot unmarshal the configuration: decoding failed due to the following error(s):\n\nerror decoding 'processors': error reading configuration for \"batch\": decoding failed due to the following error(s):\n\n'' has invalid keys: timout")]
    [InlineData("0.159.0", "failed to get config: cannot unmarshal the configuration: decoding failed due to the following error(s):\n\n'processors' error reading configuration for \"batch\": decoding failed due to the following error(s):\n\n'' has invalid keys: timout")]
    public void A_misspelt_key_reads_as_the_images_collector_prints_it(string version, string expected)
    {
        Assert.Equal(expected, StartError(TypoInBatch, version));
    }

    [Fact]
    public void Errors_in_two_sections_are_both_reported_sorted_in_v0_105()
    {
        var dialect = MapstructureDialect.For(new Version(0, 105, 0));

        var text = dialect.UnmarshalError([(ComponentKind.Receiver, "r"), (ComponentKind.Processor, "p")]);

        Assert.Equal("failed to get config: cannot unmarshal the configuration: 2 error(s) decoding:\n\n* error decoding 'processors': p\n* error decoding 'receivers': r", text);
    }

    [Fact]
    public void Before_v0_105_scalars_convert_weakly_so_an_int_port_is_accepted()
    {
        Assert.Null(StartError(IntPortInLoadBalancing, "0.104.0"));
    }

    [Fact]
    public void From_v0_105_an_int_for_a_string_field_is_refused_with_the_feature_gate_hint()
    {
        Assert.Equal(
            "failed to get config: cannot unmarshal the configuration: 1 error(s) decoding:\n\n"
            + "* error decoding 'exporters': error reading configuration for \"loadbalancing\": 1 error(s) decoding:\n\n"
            + "* 'resolver.dns.port' expected type 'string', got unconvertible type 'int', value: '4317'\n\n"
            + "Hint: Temporarily restore the previous behavior by disabling \n"
            + "      the `confmap.strictlyTypedInput` feature gate. More details at:\n"
            + "      https://github.com/open-telemetry/opentelemetry-collector/issues/10552",
            StartError(IntPortInLoadBalancing, "0.105.0"));
    }

    [Fact]
    public void From_v0_129_type_errors_carry_no_value_and_hook_errors_name_the_field_first()
    {
        Assert.Equal(
            "failed to get config: cannot unmarshal the configuration: decoding failed due to the following error(s):\n\n"
            + "'exporters' error reading configuration for \"loadbalancing\": decoding failed due to the following error(s):\n\n"
            + "'resolver.dns.port' expected type 'string', got unconvertible type 'int'",
            StartError(IntPortInLoadBalancing, "0.159.0"));
        Assert.Contains(
            "'timeout' time: invalid duration \"abc\"",
            StartError(TypoInBatch.Replace("timout: 5s", "timeout: abc", StringComparison.Ordinal), "0.159.0"),
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.107.0", "error decoding 'send_batch_size': cannot convert negative value -1 to an unsigned integer")]
    [InlineData("0.110.0", "cannot parse 'send_batch_size', -1 overflows uint")]
    [InlineData("0.159.0", "'send_batch_size' cannot parse value as 'uint32': -1 overflows uint")]
    public void A_negative_unsigned_is_refused_by_confmaps_hook_until_v0_108_then_by_mapstructure(string version, string expected) =>
        Assert.Equal([expected], ComponentConfigTestKit.Lines("processor", "batch", "send_batch_size: -1", version));

    [Theory]
    [InlineData("0.100.0", "go-viper/mapstructure v2.0.0-alpha.1, weakly typed (collector < v0.105)")]
    [InlineData("0.106.0", "go-viper/mapstructure v2.0.0, strictly typed (collector v0.106–v0.107)")]
    [InlineData("0.128.0", "go-viper/mapstructure v2.1.0–v2.2.1, strictly typed (collector v0.108–v0.128)")]
    [InlineData("0.129.0", "go-viper/mapstructure v2.3.0+ (DecodeError), strictly typed (collector v0.129+)")]
    public void The_dialect_follows_the_mapstructure_each_release_was_built_with(string version, string expected) =>
        Assert.Equal(expected, MapstructureDialect.For(Version.Parse(version)).Name);

    private static string? StartError(string yaml, string version)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var config = CollectorConfigParser.Parse((YamlMappingNode)stream.Documents[0].RootNode, new YamlReader("collector.yaml"));
        var dialect = MapstructureDialect.For(Version.Parse(version));
        var failure = ComponentConfigCheck.Run(config, dialect).FirstOrDefault();
        return failure is null ? null : dialect.ComponentError(failure.Component.Kind, failure.Component.Id, failure.Problems);
    }
}
