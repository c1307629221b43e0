namespace OtelLab.Model.Collector.Decoding.Schemas;

/// <summary>
/// upstream: opentelemetry-collector-contrib processor/k8sattributesprocessor/config.go @ v0.105.0, with
/// internal/k8sconfig APIConfig squashed (<c>auth_type</c>, <c>context</c>). FieldExtractConfig still has the
/// deprecated <c>regex</c> (disallowed from v0.106). <c>kube_config_path</c> and
/// <c>extract.deployment_name_from_replicaset</c> come from later releases and are accepted so newer images are not
/// refused for them.
/// UNCONFIRMED against the tagged v0.105.0 source (contrib is not mirrored for the lab; read from upstream's struct
/// of that era): a key upstream has and this table lacks is a false finding — add it here with a test row.
/// </summary>
public static class K8sAttributesProcessorSchema
{
    private static readonly ConfigType FieldExtract = ConfigType.Struct(
        "k8sattributesprocessor.FieldExtractConfig",
        ("tag_name", ConfigType.String),
        ("key", ConfigType.String),
        ("key_regex", ConfigType.String),
        ("regex", ConfigType.String),
        ("from", ConfigType.String));

    private static readonly ConfigType FieldFilter = ConfigType.Struct(
        "k8sattributesprocessor.FieldFilterConfig",
        ("key", ConfigType.String),
        ("value", ConfigType.String),
        ("op", ConfigType.String));

    public static ComponentSchema Schema { get; } = new(
        ComponentKind.Processor,
        "k8sattributes",
        ConfigType.Struct(
            "k8sattributesprocessor.Config",
            ("auth_type", ConfigType.Named("k8sconfig.AuthType"), "serviceAccount"),
            ("context", ConfigType.String),
            ("kube_config_path", ConfigType.String),
            ("passthrough", ConfigType.Bool),
            ("extract", ConfigType.Struct(
                "k8sattributesprocessor.ExtractConfig",
                ("metadata", ConfigType.Strings),
                ("annotations", ConfigType.ListOf(FieldExtract)),
                ("labels", ConfigType.ListOf(FieldExtract)),
                ("otel_annotations", ConfigType.Bool),
                ("deployment_name_from_replicaset", ConfigType.Bool))),
            ("filter", ConfigType.Struct(
                "k8sattributesprocessor.FilterConfig",
                ("node", ConfigType.String),
                ("node_from_env_var", ConfigType.String),
                ("namespace", ConfigType.String),
                ("fields", ConfigType.ListOf(FieldFilter)),
                ("labels", ConfigType.ListOf(FieldFilter)))),
            ("pod_association", ConfigType.ListOf(ConfigType.Struct(
                "k8sattributesprocessor.PodAssociationConfig",
                ("sources", ConfigType.ListOf(ConfigType.Struct(
                    "k8sattributesprocessor.PodAssociationSourceConfig",
                    ("from", ConfigType.String),
                    ("name", ConfigType.String))))))),
            ("exclude", ConfigType.Struct(
                "k8sattributesprocessor.ExcludeConfig",
                ("pods", ConfigType.ListOf(ConfigType.Struct("k8sattributesprocessor.ExcludePodConfig", ("name", ConfigType.String)))))),
            ("wait_for_metadata", ConfigType.Bool),
            ("wait_for_metadata_timeout", ConfigType.Duration, "10s")),
        "open-telemetry/opentelemetry-collector-contrib processor/k8sattributesprocessor/config.go @ v0.105.0");
}
