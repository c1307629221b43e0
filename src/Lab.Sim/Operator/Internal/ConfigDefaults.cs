namespace OtelLab.Sim.Operator.Internal;

/// <summary>
/// The collector webhook's config defaulting (feature gate <c>operator.collector.default.config</c>, on by default),
/// applied before the config is stored, hashed and rendered.
/// upstream: apis/v1beta1/config.go (ApplyDefaults → Service.ApplyDefaults: a Prometheus pull reader on
/// 0.0.0.0:8888 unless metrics.address or readers are set; receivers' GetDefaultConfig: each configured OTLP
/// protocol without an endpoint gets 0.0.0.0:&lt;default port&gt;).
/// UNCONFIRMED: the exact JSON of the default reader (otelconf v0.3.0 MeterProvider/Prometheus structs with
/// omitempty fields) — it decides the ConfigMap hash, not behaviour.
/// </summary>
internal static class ConfigDefaults
{
    public static readonly IReadOnlyDictionary<string, int> OtlpProtocols = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["grpc"] = 4317,
        ["http"] = 4318,
    };

    public static void Apply(Dictionary<string, object?> config)
    {
        var service = ConfigTree.EnsureMap(config, "service");
        var telemetry = ConfigTree.Map(service, "telemetry");
        var metrics = ConfigTree.Map(telemetry, "metrics");
        var address = metrics?.GetValueOrDefault("address") as string;
        var readers = metrics?.GetValueOrDefault("readers") as List<object?>;
        if (string.IsNullOrEmpty(address) && (readers is null || readers.Count == 0))
        {
            telemetry ??= ConfigTree.EnsureMap(service, "telemetry");
            metrics = ConfigTree.EnsureMap(telemetry, "metrics");
            metrics["readers"] = new List<object?>
            {
                new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["pull"] = new Dictionary<string, object?>(StringComparer.Ordinal)
                    {
                        ["exporter"] = new Dictionary<string, object?>(StringComparer.Ordinal)
                        {
                            ["prometheus"] = new Dictionary<string, object?>(StringComparer.Ordinal)
                            {
                                ["host"] = "0.0.0.0",
                                ["port"] = 8888L,
                            },
                        },
                    },
                },
            };
        }

        var receivers = ConfigTree.Map(config, "receivers");
        if (receivers is null)
        {
            return;
        }

        foreach (var id in EnabledReceivers(config))
        {
            if (!id.StartsWith("otlp", StringComparison.Ordinal) || (id.Length > 4 && id[4] != '/') || ConfigTree.Map(receivers, id) is not { } otlp)
            {
                continue;
            }

            if (ConfigTree.Map(otlp, "protocols") is not { } protocols)
            {
                continue;
            }

            foreach (var (protocol, port) in OtlpProtocols)
            {
                if (!protocols.TryGetValue(protocol, out var settings))
                {
                    continue;
                }

                var map = settings as Dictionary<string, object?> ?? new Dictionary<string, object?>(StringComparer.Ordinal);
                if (map.GetValueOrDefault("endpoint") is not string { Length: > 0 })
                {
                    map["endpoint"] = $"0.0.0.0:{port}";
                }

                protocols[protocol] = map;
            }
        }
    }

    /// <summary>Receiver ids referenced by some pipeline (upstream GetEnabledComponents).</summary>
    public static IEnumerable<string> EnabledReceivers(Dictionary<string, object?> config) => Enabled(config, "receivers");

    public static IEnumerable<string> EnabledExporters(Dictionary<string, object?> config) => Enabled(config, "exporters");

    private static IEnumerable<string> Enabled(Dictionary<string, object?> config, string kind) =>
        (ConfigTree.Map(ConfigTree.Map(config, "service"), "pipelines") ?? [])
            .Values.OfType<Dictionary<string, object?>>()
            .SelectMany(p => p.GetValueOrDefault(kind) as List<object?> ?? [])
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
}
