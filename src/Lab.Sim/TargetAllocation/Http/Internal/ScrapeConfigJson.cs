using System.Globalization;
using System.Text;
using OtelLab.Model.Go;
using OtelLab.Sim.Relabeling;

namespace OtelLab.Sim.TargetAllocation.Http.Internal;

/// <summary>
/// The <c>/scrape_configs</c> body: upstream marshals Prometheus' ScrapeConfig to YAML, converts it to JSON
/// (ghodss/yaml, which sorts keys) and drops <c>regex</c> from keepequal/dropequal rules (server.go
/// RemoveRegexFromRelabelAction). Field set and defaults as a real Prometheus-3 TA serves them, e.g.
/// <c>{"enable_compression":true,"enable_http2":true,"follow_redirects":true,"honor_timestamps":true,"job_name":…,
/// "metrics_path":"/metrics","scheme":"http","scrape_interval":"10s","scrape_protocols":[…],"scrape_timeout":"10s",
/// "static_configs":[{"targets":[…]}],"track_timestamps_staleness":false}</c>.
/// </summary>
internal static class ScrapeConfigJson
{
    private static readonly string[] DefaultScrapeProtocols = ["OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4"];

    public static string Render(IReadOnlyDictionary<string, ScrapeConfig> configs)
    {
        var output = new StringBuilder();
        return GoccyJson.Map(output, configs, Config).ToString();
    }

    private static void Config(StringBuilder output, ScrapeConfig config)
    {
        var fields = new SortedDictionary<string, Action<StringBuilder>>(StringComparer.Ordinal)
        {
            ["enable_compression"] = o => o.Append("true"),
            ["enable_http2"] = o => o.Append("true"),
            ["follow_redirects"] = o => o.Append("true"),
            ["honor_timestamps"] = o => o.Append(config.HonorTimestamps ? "true" : "false"),
            ["job_name"] = o => GoccyJson.String(o, config.JobName),
            ["metrics_path"] = o => GoccyJson.String(o, config.MetricsPath),
            ["scheme"] = o => GoccyJson.String(o, config.Scheme),
            ["scrape_interval"] = o => GoccyJson.String(o, Duration(config.ScrapeInterval)),
            ["scrape_protocols"] = o => GoccyJson.Array(o, DefaultScrapeProtocols, (a, p) => GoccyJson.String(a, p)),
            ["scrape_timeout"] = o => GoccyJson.String(o, Duration(config.ScrapeTimeout)),
            ["track_timestamps_staleness"] = o => o.Append("false"),
        };
        if (config.HonorLabels)
        {
            fields["honor_labels"] = o => o.Append("true");
        }

        if (config.FallbackScrapeProtocol is { } fallback)
        {
            fields["fallback_scrape_protocol"] = o => GoccyJson.String(o, fallback);
        }

        if (config.RelabelConfigs.Count > 0)
        {
            fields["relabel_configs"] = o => GoccyJson.Array(o, config.RelabelConfigs, Relabel);
        }

        if (config.MetricRelabelConfigs.Count > 0)
        {
            fields["metric_relabel_configs"] = o => GoccyJson.Array(o, config.MetricRelabelConfigs, Relabel);
        }

        if (config.StaticConfigs.Count > 0)
        {
            fields["static_configs"] = o => GoccyJson.Array(o, config.StaticConfigs, Static);
        }

        // upstream serves the jobs' service discovery as configured (server.go MarshalScrapeConfig: yaml.Marshal of
        // promconfig.ScrapeConfig, then YAMLToJSON); the receiver replaces it with its http_sd config.
        if (config.KubernetesSdConfigs.Count > 0)
        {
            fields["kubernetes_sd_configs"] = o => GoccyJson.Array(o, config.KubernetesSdConfigs, KubernetesSd);
        }

        GoccyJson.Map(output, fields, (o, write) => write(o));
    }

    private static void Relabel(StringBuilder output, RelabelConfig config)
    {
        var fields = new SortedDictionary<string, Action<StringBuilder>>(StringComparer.Ordinal)
        {
            ["action"] = o => GoccyJson.String(o, config.ActionName),
            ["replacement"] = o => GoccyJson.String(o, config.Replacement),
            ["separator"] = o => GoccyJson.String(o, config.Separator),
        };
        // An unset regex is the shared default and is omitted (upstream Regexp.IsZero); keepequal/dropequal never show it.
        if (!ReferenceEquals(config.Regex, RelabelRegex.Default) && config.Action is not (RelabelAction.KeepEqual or RelabelAction.DropEqual))
        {
            fields["regex"] = o => GoccyJson.String(o, config.Regex.Expression);
        }

        if (config.SourceLabels.Count > 0)
        {
            fields["source_labels"] = o => GoccyJson.Array(o, config.SourceLabels, (a, l) => GoccyJson.String(a, l));
        }

        if (config.TargetLabel.Length > 0)
        {
            fields["target_label"] = o => GoccyJson.String(o, config.TargetLabel);
        }

        if (config.Modulus != 0)
        {
            fields["modulus"] = o => o.Append(config.Modulus.ToString(CultureInfo.InvariantCulture));
        }

        GoccyJson.Map(output, fields, (o, write) => write(o));
    }

    // prometheus discovery/kubernetes/kubernetes.go SDConfig: api_server (omitempty), role, kubeconfig_file (always),
    // the inline HTTPClientConfig (follow_redirects and enable_http2 always, true by default; the rest omitempty),
    // namespaces (omitempty: {own_namespace, names}), selectors and attach_metadata (omitempty).
    private static void KubernetesSd(StringBuilder output, Discovery.KubernetesSdConfig config)
    {
        var fields = new SortedDictionary<string, Action<StringBuilder>>(StringComparer.Ordinal)
        {
            ["enable_http2"] = o => o.Append("true"),
            ["follow_redirects"] = o => o.Append("true"),
            ["kubeconfig_file"] = o => GoccyJson.String(o, string.Empty),
            ["role"] = o => GoccyJson.String(o, config.Role),
        };
        if (config.Namespaces.Count > 0)
        {
            fields["namespaces"] = o =>
            {
                o.Append("{\"names\":");
                GoccyJson.Array(o, config.Namespaces, (a, n) => GoccyJson.String(a, n));
                o.Append(",\"own_namespace\":false}");
            };
        }

        GoccyJson.Map(output, fields, (o, write) => write(o));
    }

    private static void Static(StringBuilder output, StaticConfig config)
    {
        output.Append('{');
        if (config.Labels is { Count: > 0 } labels)
        {
            output.Append("\"labels\":");
            GoccyJson.Map(output, labels.Select(l => KeyValuePair.Create(l.Name, l.Value)), (o, v) => GoccyJson.String(o, v));
            output.Append(',');
        }

        output.Append("\"targets\":");
        GoccyJson.Array(output, config.Targets, (o, t) => GoccyJson.String(o, t));
        output.Append('}');
    }

    /// <summary>Prometheus model.Duration.String: y and w only when exact, then d h m s ms; zero is "0s".</summary>
    public static string Duration(TimeSpan duration)
    {
        var ms = (long)duration.TotalMilliseconds;
        if (ms == 0)
        {
            return "0s";
        }

        var output = new StringBuilder();
        void Unit(string unit, long mult, bool exact)
        {
            if (exact && ms % mult != 0)
            {
                return;
            }

            var v = ms / mult;
            if (v > 0)
            {
                output.Append(v.ToString(CultureInfo.InvariantCulture)).Append(unit);
                ms -= v * mult;
            }
        }

        Unit("y", 1000L * 60 * 60 * 24 * 365, true);
        Unit("w", 1000L * 60 * 60 * 24 * 7, true);
        Unit("d", 1000L * 60 * 60 * 24, false);
        Unit("h", 1000L * 60 * 60, false);
        Unit("m", 1000L * 60, false);
        Unit("s", 1000L, false);
        Unit("ms", 1, false);
        return output.ToString();
    }
}
