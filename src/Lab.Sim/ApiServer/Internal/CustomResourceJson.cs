using System.Text.Json.Nodes;
using OtelLab.Model.Crds;
using OtelLab.Model.Yaml;
using OtelLab.Sim.Cluster;
using k8s.Models;
using k8s;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// Renders the lab's CR models back to the JSON the API server would return. The models keep what the sim uses
/// (mode, replicas, image, config, target allocator, …), so the rendering holds those fields, with the CRD's schema
/// defaults applied on read (apiextensions-apiserver pkg/apiserver/customresource_handler.go unstructuredDefaulter:
/// <c>spec.managementState: managed</c>). The status is what was written through the <c>/status</c> subresource (kept in the document).
/// </summary>
internal static class CustomResourceJson
{
    /// <param name="document">The document the model was decoded from, when it still applies: its spec is returned as submitted.</param>
    public static JsonObject Render(ResourceKind kind, V1ObjectMeta metadata, object model, JsonObject? document)
    {
        var o = new JsonObject
        {
            ["apiVersion"] = kind.ApiVersion,
            ["kind"] = kind.Kind,
            ["metadata"] = JsonNode.Parse(KubernetesJson.Serialize(metadata)),
        };
        if (document is not null)
        {
            var spec = document["spec"]?.DeepClone() as JsonObject ?? new JsonObject();
            if (model is OpenTelemetryCollector)
            {
                spec["managementState"] ??= "managed";
            }

            o["spec"] = spec;
            if (document["status"] is JsonObject status)
            {
                o["status"] = status.DeepClone();
            }

            return o;
        }

        o["spec"] = model switch
        {
            OpenTelemetryCollector c => Collector(c),
            Instrumentation i => InstrumentationSpec(i),
            TargetAllocatorSpec t => TargetAllocator(t),
            PrometheusMonitor m => Monitor(m),
            _ => new JsonObject(),
        };
        return o;
    }

    private static JsonObject Collector(OpenTelemetryCollector c)
    {
        var spec = new JsonObject
        {
            ["managementState"] = "managed",
            ["mode"] = c.Mode,
            ["replicas"] = c.Replicas,
        };
        Set(spec, "image", c.Image);
        Set(spec, "serviceAccount", c.ServiceAccount);
        if (c.HostNetwork)
        {
            spec["hostNetwork"] = true;
        }

        if (c.Env.Count > 0)
        {
            spec["env"] = JsonNode.Parse(KubernetesJson.Serialize(c.Env));
        }

        if (c.PodAnnotations.Count > 0)
        {
            spec["podAnnotations"] = new JsonObject(c.PodAnnotations.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        }

        spec["config"] = YamlJson.Convert(c.Config.Root);
        if (c.TargetAllocator.Enabled)
        {
            spec["targetAllocator"] = TargetAllocator(c.TargetAllocator);
        }

        return spec;
    }

    private static JsonObject TargetAllocator(TargetAllocatorSpec t)
    {
        var spec = new JsonObject
        {
            ["enabled"] = t.Enabled,
            ["allocationStrategy"] = t.AllocationStrategy,
            ["filterStrategy"] = t.FilterStrategy,
            ["replicas"] = t.Replicas,
            ["prometheusCR"] = new JsonObject { ["enabled"] = t.PrometheusCR.Enabled },
        };
        Set(spec, "image", t.Image);
        Set(spec, "serviceAccount", t.ServiceAccount);
        return spec;
    }

    private static JsonObject InstrumentationSpec(Instrumentation i)
    {
        var spec = new JsonObject();
        if (i.Endpoint is not null)
        {
            spec["exporter"] = new JsonObject { ["endpoint"] = i.Endpoint };
        }

        if (i.Propagators.Count > 0)
        {
            spec["propagators"] = new JsonArray([.. i.Propagators.Select(p => (JsonNode)p)]);
        }

        if (i.SamplerType is not null)
        {
            var sampler = new JsonObject { ["type"] = i.SamplerType };
            Set(sampler, "argument", i.SamplerArgument);
            spec["sampler"] = sampler;
        }

        foreach (var (key, language) in i.Languages)
        {
            var block = new JsonObject();
            Set(block, "image", language.Image);
            if (language.Env.Count > 0)
            {
                block["env"] = JsonNode.Parse(KubernetesJson.Serialize(language.Env));
            }

            spec[key] = block;
        }

        return spec;
    }

    private static JsonObject Monitor(PrometheusMonitor m)
    {
        var endpoints = new JsonArray();
        foreach (var e in m.Endpoints)
        {
            var endpoint = new JsonObject { ["path"] = e.Path, ["scheme"] = e.Scheme };
            Set(endpoint, "port", e.Port);
            Set(endpoint, "targetPort", e.TargetPort);
            Set(endpoint, "interval", e.Interval);
            endpoints.Add(endpoint);
        }

        var namespaceSelector = m.AnyNamespace
            ? new JsonObject { ["any"] = true }
            : new JsonObject { ["matchNames"] = new JsonArray([.. m.NamespaceNames.Select(n => (JsonNode)n)]) };
        return new JsonObject
        {
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject(m.Selector.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))) },
            ["namespaceSelector"] = namespaceSelector,
            [m.Kind == "ServiceMonitor" ? "endpoints" : "podMetricsEndpoints"] = endpoints,
        };
    }

    private static void Set(JsonObject o, string key, string? value)
    {
        if (value is not null)
        {
            o[key] = value;
        }
    }
}
