namespace OtelLab.Model.Collector.Decoding.Schemas;

/// <summary>
/// upstream: opentelemetry-collector-contrib processor/resourcedetectionprocessor/config.go @ v0.105.0 —
/// confighttp.ClientConfig squashed (its <c>timeout</c> bounds detection), <c>detectors</c>, <c>override</c>, the
/// deprecated <c>attributes</c>, and DetectorConfig squashed: one section per detector, whose own keys the lab does not
/// judge.
/// UNCONFIRMED against the tagged v0.105.0 source (contrib is not mirrored for the lab; read from upstream's struct
/// of that era): a key upstream has and this table lacks is a false finding — add it here with a test row.
/// </summary>
public static class ResourceDetectionProcessorSchema
{
    private static readonly string[] Detectors =
        ["aks", "azure", "consul", "docker", "ec2", "ecs", "eks", "elasticbeanstalk", "gcp", "heroku", "k8snode", "lambda", "openshift", "system"];

    public static ComponentSchema Schema { get; } = new(
        ComponentKind.Processor,
        "resourcedetection",
        ConfigType.Struct(
            "resourcedetectionprocessor.Config",
            [
                ("detectors", ConfigType.Strings),
                ConfigMember.Squash(CoreConfigTypes.HttpClient),
                ("override", ConfigType.Bool, "true"),
                ("attributes", ConfigType.Strings),
                .. Detectors.Select(d => (ConfigMember)(d, ConfigType.Any)),
            ]),
        "open-telemetry/opentelemetry-collector-contrib processor/resourcedetectionprocessor/config.go @ v0.105.0");
}
