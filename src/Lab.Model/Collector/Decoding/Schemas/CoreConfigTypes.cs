namespace OtelLab.Model.Collector.Decoding.Schemas;

/// <summary>
/// The shared config structs components embed, from open-telemetry/opentelemetry-collector at v0.105.0 (the version
/// the bundled scenarios pin), read from: config/configtls/configtls.go, config/confighttp/confighttp.go,
/// config/configgrpc/configgrpc.go, config/confignet/confignet.go, config/configauth/configauth.go,
/// config/configcompression/compressiontype.go, config/configretry/backoff.go,
/// exporter/exporterhelper/timeout_sender.go and queue_sender.go.
/// </summary>
public static class CoreConfigTypes
{
    /// <summary>configauth.Authentication: <c>authenticator</c> is a component.ID (TextUnmarshaler).</summary>
    public static ConfigType Auth { get; } = ConfigType.Struct("configauth.Authentication", ("authenticator", ConfigType.Named("component.ID")));

    /// <summary>configcompression.Type UnmarshalText: "unsupported compression type %q".</summary>
    public static ConfigType Compression { get; } =
        ConfigType.Enum("configcompression.Type", "unsupported compression type \"{0}\"", "gzip", "zlib", "deflate", "snappy", "zstd", "none", "");

    /// <summary>configtls.Config (squashed into the client and server TLS settings).</summary>
    public static ConfigType Tls { get; } = ConfigType.Struct(
        "configtls.Config",
        ("ca_file", ConfigType.String),
        ("ca_pem", ConfigType.Opaque),
        ("include_system_ca_certs_pool", ConfigType.Bool),
        ("cert_file", ConfigType.String),
        ("cert_pem", ConfigType.Opaque),
        ("key_file", ConfigType.String),
        ("key_pem", ConfigType.Opaque),
        ("min_version", ConfigType.String),
        ("max_version", ConfigType.String),
        ("cipher_suites", ConfigType.Strings),
        ("reload_interval", ConfigType.Duration));

    public static ConfigType TlsClient { get; } = ConfigType.Struct(
        "configtls.ClientConfig",
        ConfigMember.Squash(Tls),
        ("insecure", ConfigType.Bool),
        ("insecure_skip_verify", ConfigType.Bool),
        ("server_name_override", ConfigType.String));

    public static ConfigType TlsServer { get; } = ConfigType.Struct(
        "configtls.ServerConfig",
        ConfigMember.Squash(Tls),
        ("client_ca_file", ConfigType.String),
        ("client_ca_file_reload", ConfigType.Bool));

    public static ConfigType HttpClient { get; } = ConfigType.Struct(
        "confighttp.ClientConfig",
        ("endpoint", ConfigType.String),
        ("proxy_url", ConfigType.String),
        ("tls", TlsClient),
        ("read_buffer_size", ConfigType.Int),
        ("write_buffer_size", ConfigType.Int),
        ("timeout", ConfigType.Duration),
        ("headers", ConfigType.OpaqueMap),
        ("auth", Auth),
        ("compression", Compression),
        ("max_idle_conns", ConfigType.Int),
        ("max_idle_conns_per_host", ConfigType.Int),
        ("max_conns_per_host", ConfigType.Int),
        ("idle_conn_timeout", ConfigType.Duration),
        ("disable_keep_alives", ConfigType.Bool),
        ("http2_read_idle_timeout", ConfigType.Duration),
        ("http2_ping_timeout", ConfigType.Duration),
        ("cookies", ConfigType.Struct("confighttp.CookiesConfig", ("enabled", ConfigType.Bool))));

    public static ConfigType HttpServer { get; } = ConfigType.Struct(
        "confighttp.ServerConfig",
        ("endpoint", ConfigType.String),
        ("tls", TlsServer),
        ("cors", ConfigType.Struct(
            "confighttp.CORSConfig",
            ("allowed_origins", ConfigType.Strings),
            ("allowed_headers", ConfigType.Strings),
            ("max_age", ConfigType.Int))),
        ("auth", Auth),
        ("max_request_body_size", ConfigType.Int64),
        ("include_metadata", ConfigType.Bool),
        ("response_headers", ConfigType.OpaqueMap),
        ("compression_algorithms", ConfigType.Strings));

    public static ConfigType GrpcClient { get; } = ConfigType.Struct(
        "configgrpc.ClientConfig",
        ("endpoint", ConfigType.String),
        ("compression", Compression),
        ("tls", TlsClient),
        ("keepalive", ConfigType.Struct(
            "configgrpc.KeepaliveClientConfig",
            ("time", ConfigType.Duration),
            ("timeout", ConfigType.Duration),
            ("permit_without_stream", ConfigType.Bool))),
        ("read_buffer_size", ConfigType.Int),
        ("write_buffer_size", ConfigType.Int),
        ("wait_for_ready", ConfigType.Bool),
        ("headers", ConfigType.OpaqueMap),
        ("balancer_name", ConfigType.String),
        ("authority", ConfigType.String),
        ("auth", Auth));

    /// <summary>confignet.AddrConfig, squashed into configgrpc.ServerConfig.</summary>
    public static ConfigType NetAddr { get; } = ConfigType.Struct(
        "confignet.AddrConfig",
        ("endpoint", ConfigType.String),
        ("transport", ConfigType.Named("confignet.TransportType")),
        ("dialer", ConfigType.Struct("confignet.DialerConfig", ("timeout", ConfigType.Duration))));

    public static ConfigType GrpcServer { get; } = ConfigType.Struct(
        "configgrpc.ServerConfig",
        ConfigMember.Squash(NetAddr),
        ("tls", TlsServer),
        ("max_recv_msg_size_mib", ConfigType.Uint64),
        ("max_concurrent_streams", ConfigType.Uint32),
        ("read_buffer_size", ConfigType.Int),
        ("write_buffer_size", ConfigType.Int),
        ("keepalive", ConfigType.Struct(
            "configgrpc.KeepaliveServerConfig",
            ("server_parameters", ConfigType.Struct(
                "configgrpc.KeepaliveServerParameters",
                ("max_connection_idle", ConfigType.Duration),
                ("max_connection_age", ConfigType.Duration),
                ("max_connection_age_grace", ConfigType.Duration),
                ("time", ConfigType.Duration),
                ("timeout", ConfigType.Duration))),
            ("enforcement_policy", ConfigType.Struct(
                "configgrpc.KeepaliveEnforcementPolicy",
                ("min_time", ConfigType.Duration),
                ("permit_without_stream", ConfigType.Bool))))),
        ("auth", Auth),
        ("include_metadata", ConfigType.Bool));

    /// <summary>exporterhelper.TimeoutSettings (squashed into exporters).</summary>
    public static ConfigType Timeout { get; } = ConfigType.Struct("exporterhelper.TimeoutSettings", ("timeout", ConfigType.Duration, "5s"));

    /// <summary>exporterhelper.QueueSettings (<c>sending_queue</c>).</summary>
    public static ConfigType Queue { get; } = ConfigType.Struct(
        "exporterhelper.QueueSettings",
        ("enabled", ConfigType.Bool, "true"),
        ("num_consumers", ConfigType.Int, "10"),
        ("queue_size", ConfigType.Int, "1000"),
        ("storage", ConfigType.Named("component.ID")));

    /// <summary>configretry.BackOffConfig (<c>retry_on_failure</c>).</summary>
    public static ConfigType Retry { get; } = ConfigType.Struct(
        "configretry.BackOffConfig",
        ("enabled", ConfigType.Bool, "true"),
        ("initial_interval", ConfigType.Duration, "5s"),
        ("randomization_factor", ConfigType.Float64, "0.5"),
        ("multiplier", ConfigType.Float64, "1.5"),
        ("max_interval", ConfigType.Duration, "30s"),
        ("max_elapsed_time", ConfigType.Duration, "5m"));
}
