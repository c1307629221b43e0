namespace OtelLab.Model.Collector.Decoding.Schemas;

/// <summary>
/// upstream: opentelemetry-collector-contrib processor/resourcedetectionprocessor/config.go @ v0.105.0 —
/// confighttp.ClientConfig squashed (its <c>timeout</c> bounds detection), <c>detectors</c>, <c>override</c>, the
/// deprecated <c>attributes</c>, and DetectorConfig squashed: one section per detector, whose own keys the lab does not
/// judge.
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
                ("override", ConfigType.Bool),
                ("attributes", ConfigType.Strings),
                .. Detectors.Select(d => (ConfigMember)(d, ConfigType.Any)),
            ]),
        "open-telemetry/opentelemetry-collector-contrib processor/resourcedetectionprocessor/config.go @ v0.105.0");
}
