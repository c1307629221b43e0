using System.Security.Cryptography;
using System.Text;
using OtelLab.Model.Go;

namespace OtelLab.Sim.Operator.Internal;

/// <summary>
/// The collector ConfigMap's hash: SHA-256 (lower-case hex) of <c>json.Marshal(&amp;config)</c> where config is the
/// CRD's <c>v1beta1.Config</c> struct — fields in struct order (receivers, exporters, processors, connectors,
/// extensions, service{extensions, telemetry, pipelines{exporters, processors, receivers}}), pointer fields and
/// empty lists omitted, maps with sorted keys. The ConfigMap is named <c>&lt;name&gt;-collector-&lt;first 8 hex&gt;</c>.
/// upstream: internal/manifests/manifestutils/annotations.go (GetConfigMapSHA), internal/naming/main.go (ConfigMap),
/// apis/v1beta1/config.go (Config, Service, Pipeline structs).
/// </summary>
internal static class ConfigHash
{
    public static string Compute(Dictionary<string, object?> config) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(StructJson(config))));

    internal static string StructJson(Dictionary<string, object?> config)
    {
        var sb = new StringBuilder("{");
        sb.Append("\"receivers\":");
        GoJsonMarshal.Write(sb, config.GetValueOrDefault("receivers") as Dictionary<string, object?>);
        sb.Append(",\"exporters\":");
        GoJsonMarshal.Write(sb, config.GetValueOrDefault("exporters") as Dictionary<string, object?>);
        foreach (var optional in new[] { "processors", "connectors", "extensions" })
        {
            if (config.GetValueOrDefault(optional) is Dictionary<string, object?> section)
            {
                sb.Append(",\"").Append(optional).Append("\":");
                GoJsonMarshal.Write(sb, section);
            }
        }

        sb.Append(",\"service\":{");
        var service = ConfigTree.Map(config, "service") ?? [];
        var wrote = false;
        if (service.GetValueOrDefault("extensions") is List<object?> { Count: > 0 } extensions)
        {
            sb.Append("\"extensions\":");
            GoJsonMarshal.Write(sb, extensions);
            wrote = true;
        }

        if (service.GetValueOrDefault("telemetry") is Dictionary<string, object?> telemetry)
        {
            sb.Append(wrote ? "," : string.Empty).Append("\"telemetry\":");
            GoJsonMarshal.Write(sb, telemetry);
            wrote = true;
        }

        sb.Append(wrote ? "," : string.Empty).Append("\"pipelines\":");
        if (service.GetValueOrDefault("pipelines") is Dictionary<string, object?> pipelines)
        {
            sb.Append('{');
            var first = true;
            foreach (var name in pipelines.Keys.Order(StringComparer.Ordinal))
            {
                sb.Append(first ? string.Empty : ",");
                first = false;
                GoJsonMarshal.Write(sb, name);
                sb.Append(':');
                if (pipelines[name] is not Dictionary<string, object?> p)
                {
                    sb.Append("null");
                    continue;
                }

                sb.Append("{\"exporters\":");
                GoJsonMarshal.Write(sb, p.GetValueOrDefault("exporters") as List<object?>);
                if (p.GetValueOrDefault("processors") is List<object?> { Count: > 0 } processors)
                {
                    sb.Append(",\"processors\":");
                    GoJsonMarshal.Write(sb, processors);
                }

                sb.Append(",\"receivers\":");
                GoJsonMarshal.Write(sb, p.GetValueOrDefault("receivers") as List<object?>);
                sb.Append('}');
            }

            sb.Append('}');
        }
        else
        {
            sb.Append("null");
        }

        sb.Append("}}");
        return sb.ToString();
    }
}
