using System.Text.Json;
using System.Text.Json.Nodes;
using OtelLab.Model.Yaml;
using OtelLab.Sim.Cluster;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Sim.ApiServer.Internal.Conversion;

/// <summary>
/// OpenTelemetryCollector v1alpha1 ↔ v1beta1 (the storage version), as the operator's conversion webhook converts
/// the fields the lab uses. upstream: opentelemetry-operator apis/v1alpha1/convert.go tov1beta1/tov1alpha1:
/// <list type="bullet">
/// <item><c>spec.config</c>: a YAML string in v1alpha1, an object in v1beta1 (unmarshalled / marshalled with yaml.v3);</item>
/// <item><c>spec.minReplicas</c>/<c>maxReplicas</c> (deprecated) move into <c>spec.autoscaler</c> unless it sets them;</item>
/// <item><c>spec.updateStrategy</c> ↔ <c>spec.daemonSetUpdateStrategy</c>;</item>
/// <item><c>targetAllocator.prometheusCR.podMonitorSelector</c>/<c>serviceMonitorSelector</c>: a label map in v1alpha1,
/// a LabelSelector in v1beta1 (never nil: <c>{matchLabels: …}</c>; back to v1alpha1 only matchLabels survive);</item>
/// <item><c>status.messages</c> (v1alpha1 only) is dropped.</item>
/// </list>
/// Every other field has the same name and shape in both versions and passes through.
/// </summary>
internal static class CollectorV1Alpha1
{
    public const string Version = "v1alpha1";

    /// <summary>The CRD's deprecationWarning for v1alpha1 (chart 0.74.2), sent with every request to that version.</summary>
    public const string DeprecationWarning = "OpenTelemetryCollector v1alpha1 is deprecated. Migrate to v1beta1.";

    /// <summary>Whether <paramref name="kind"/> is the collector CR (the only kind served in two versions).</summary>
    public static bool Converts(ResourceKind kind) => kind is { Group: "opentelemetry.io", Resource: "opentelemetrycollectors" };

    /// <summary>v1alpha1 → v1beta1; a config that is not YAML fails as the webhook does.</summary>
    public static JsonObject ToV1Beta1(JsonObject alpha, string storageApiVersion)
    {
        var o = (JsonObject)alpha.DeepClone();
        o["apiVersion"] = storageApiVersion;
        if (o["spec"] is JsonObject spec)
        {
            if (spec["config"] is JsonValue config && config.GetValueKind() == JsonValueKind.String)
            {
                spec["config"] = ParseConfig((string)config!);
            }

            var min = spec["minReplicas"];
            var max = spec["maxReplicas"];
            spec.Remove("minReplicas");
            spec.Remove("maxReplicas");
            if (min is not null || max is not null)
            {
                var autoscaler = spec["autoscaler"] as JsonObject ?? new JsonObject();
                autoscaler["minReplicas"] ??= min;
                autoscaler["maxReplicas"] ??= max;
                spec["autoscaler"] = autoscaler;
            }

            Rename(spec, "updateStrategy", "daemonSetUpdateStrategy");
            if (spec["targetAllocator"] is JsonObject ta)
            {
                var cr = ta["prometheusCR"] as JsonObject ?? [];
                ta["prometheusCR"] = cr;
                foreach (var selector in new[] { "podMonitorSelector", "serviceMonitorSelector" })
                {
                    // upstream: "prometheus_cr.pod_monitor_selector shouldn't be nil when selector is empty"
                    var labels = cr[selector];
                    cr[selector] = labels is null ? new JsonObject() : new JsonObject { ["matchLabels"] = labels.DeepClone() };
                }
            }
        }

        (o["status"] as JsonObject)?.Remove("messages");
        return o;
    }

    /// <summary>v1beta1 → v1alpha1.</summary>
    public static JsonObject ToV1Alpha1(JsonObject beta, string servedApiVersion)
    {
        var o = (JsonObject)beta.DeepClone();
        o["apiVersion"] = servedApiVersion;
        if (o["spec"] is JsonObject spec)
        {
            if (spec["config"] is JsonObject config)
            {
                spec["config"] = ConfigYaml(config);
            }

            Rename(spec, "daemonSetUpdateStrategy", "updateStrategy");
            if (spec["targetAllocator"] is JsonObject { } ta && ta["prometheusCR"] is JsonObject cr)
            {
                foreach (var selector in new[] { "podMonitorSelector", "serviceMonitorSelector" })
                {
                    var labels = (cr[selector] as JsonObject)?["matchLabels"]?.DeepClone();
                    cr.Remove(selector);
                    if (labels is not null)
                    {
                        cr[selector] = labels;
                    }
                }
            }
        }

        return o;
    }

    private static void Rename(JsonObject spec, string from, string to)
    {
        if (spec[from] is { } value)
        {
            spec.Remove(from);
            spec[to] = value.DeepClone();
        }
    }

    private static JsonNode ParseConfig(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException)
        {
            throw ConversionFailed();
        }

        return (stream.Documents.Count == 0 ? null : YamlJson.Convert(stream.Documents[0].RootNode)) as JsonObject ?? throw ConversionFailed();
    }

    // upstream: apiextensions-apiserver pkg/apiserver/conversion/webhook_converter.go — a failed conversion is a 500
    // naming the webhook; the operator's message is convert.go's ("could not convert config json to v1beta1.Config").
    private static ClusterApiException ConversionFailed() => new(500, "InternalError",
        "Internal error occurred: conversion webhook for opentelemetry.io/v1alpha1, Kind=OpenTelemetryCollector failed: failed to convert to v1beta1: could not convert config json to v1beta1.Config");

    // upstream: v1beta1 Config.Yaml — yaml.v3 block style (keys here in the stored order); a string that would read back
    // as another type ("4317", "true") is quoted, as yaml.v3 quotes it.
    private static string ConfigYaml(JsonObject config)
    {
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(Node(config))).Save(writer, assignAnchors: false);
        var text = writer.ToString();
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    private static YamlNode Node(JsonNode? node) => node switch
    {
        JsonObject map => new YamlMappingNode(map.Select(kv => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(kv.Key), Node(kv.Value)))),
        JsonArray list => new YamlSequenceNode(list.Select(Node)),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Text((string)v!),
        JsonValue v => new YamlScalarNode(v.ToJsonString()),
        _ => new YamlScalarNode("null"),
    };

    private static YamlScalarNode Text(string text)
    {
        var readBack = YamlJson.Convert(new YamlScalarNode(text) { Style = ScalarStyle.Plain });
        return readBack is JsonValue back && back.GetValueKind() == JsonValueKind.String && (string)back! == text
            ? new YamlScalarNode(text)
            : new YamlScalarNode(text) { Style = ScalarStyle.DoubleQuoted };
    }
}
