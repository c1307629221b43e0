namespace OtelLab.Sim.Operator.Internal;

/// <summary>
/// The prometheus receiver rewrite when the Target Allocator is enabled, and the scrape configs handed to the TA.
/// upstream: internal/manifests/targetallocator/adapters/config_to_prom_config.go (ConfigToPromConfig,
/// AddTAConfigToPromConfig, UnescapeDollarSignsInPromConfig, GetScrapeConfigsFromPromConfig,
/// ValidateTargetAllocatorConfig) and internal/manifests/collector/config_replace.go (ReplaceConfig).
/// </summary>
internal static class PrometheusRewrite
{
    /// <summary>The receiver must be named exactly <c>prometheus</c> (upstream looks up that key).</summary>
    public static Dictionary<string, object?> Receiver(Dictionary<string, object?> config)
    {
        if (!config.TryGetValue("receivers", out var r) || r is null)
        {
            throw new InvalidOperationException("no receivers available as part of the configuration");
        }

        var receivers = r as Dictionary<string, object?> ?? throw new InvalidOperationException("receivers property in the configuration doesn't contain valid receivers");
        if (!receivers.TryGetValue("prometheus", out var p))
        {
            throw new InvalidOperationException("no prometheus available as part of the configuration");
        }

        return p as Dictionary<string, object?> ?? throw new InvalidOperationException("prometheus property in the configuration doesn't contain valid prometheus");
    }

    /// <summary>
    /// Rewrites the receiver in place: <c>target_allocator</c> set to the TA Service (endpoint, interval 30s,
    /// collector_id ${POD_NAME}) and <c>config.scrape_configs</c> removed.
    /// </summary>
    public static void AddTargetAllocator(Dictionary<string, object?> config, string taServiceName)
    {
        var prometheus = Receiver(config);
        if (!prometheus.TryGetValue("config", out var c))
        {
            throw new InvalidOperationException("no prometheusConfig available as part of the configuration");
        }

        var promConfig = c as Dictionary<string, object?> ?? throw new InvalidOperationException("prometheusConfig property in the configuration doesn't contain valid prometheusConfig");
        var ta = prometheus.GetValueOrDefault("target_allocator") as Dictionary<string, object?> ?? new Dictionary<string, object?>(StringComparer.Ordinal);
        ta["endpoint"] = $"http://{taServiceName}:80";
        ta["interval"] = "30s";
        ta["collector_id"] = "${POD_NAME}";
        prometheus["target_allocator"] = ta;
        promConfig.Remove("scrape_configs");
    }

    /// <summary>The collector's scrape configs as the TA receives them: <c>$$</c> in relabel replacements becomes <c>$</c> (the TA does no env expansion).</summary>
    public static List<object?> ScrapeConfigs(Dictionary<string, object?> config)
    {
        var prometheus = Receiver(config);
        var promConfig = prometheus.GetValueOrDefault("config") as Dictionary<string, object?>
            ?? throw new InvalidOperationException("no prometheusConfig available as part of the configuration");
        if (!promConfig.TryGetValue("scrape_configs", out var sc))
        {
            throw new InvalidOperationException("no scrape_configs available as part of the configuration");
        }

        var list = sc as List<object?> ?? throw new InvalidOperationException("scrape_configs must be a list in the config");
        var copy = (List<object?>)ConfigTree.Copy(list)!;
        foreach (var job in copy.OfType<Dictionary<string, object?>>())
        {
            foreach (var key in new[] { "relabel_configs", "metric_relabel_configs" })
            {
                foreach (var rc in (job.GetValueOrDefault(key) as List<object?> ?? []).OfType<Dictionary<string, object?>>())
                {
                    if (rc.GetValueOrDefault("replacement") is string replacement)
                    {
                        rc["replacement"] = replacement.Replace("$$", "$", StringComparison.Ordinal);
                    }
                }
            }
        }

        return copy;
    }

    public static Dictionary<string, object?>? GlobalConfig(Dictionary<string, object?> config) =>
        ConfigTree.Map(ConfigTree.Map(Receiver(config), "config"), "global");

    /// <summary>
    /// Webhook check: with the TA enabled the config must have a prometheus receiver, and either scrape configs or
    /// <c>prometheusCR.enabled</c>. Returns the webhook's message or null.
    /// </summary>
    public static string? Validate(Dictionary<string, object?> config, bool prometheusCrEnabled)
    {
        const string prefix = "the OpenTelemetry Spec Prometheus configuration is incorrect, ";
        try
        {
            var prometheus = Receiver(config);
            if (prometheusCrEnabled)
            {
                return null;
            }

            var count = ScrapeConfigs(config).Count;
            _ = prometheus;
            return count == 0 ? prefix + "either at least one scrape config needs to be defined or PrometheusCR needs to be enabled" : null;
        }
        catch (InvalidOperationException e)
        {
            return prefix + e.Message;
        }
    }
}
