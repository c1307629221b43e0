using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using OtelLab.Model.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Model.Manifests.Internal;

/// <summary>Reads one document into a <see cref="ManifestObject"/>, choosing the typed model by apiVersion and kind.</summary>
internal static partial class ObjectReader
{
    // Core kinds the lab models with KubernetesClient types, keyed by kind → (accepted apiVersion, type, namespaced).
    private static readonly Dictionary<string, (string ApiVersion, Type Type, bool Namespaced)> CoreKinds = new(StringComparer.Ordinal)
    {
        ["Namespace"] = ("v1", typeof(V1Namespace), false),
        ["Node"] = ("v1", typeof(V1Node), false),
        ["Pod"] = ("v1", typeof(V1Pod), true),
        ["Service"] = ("v1", typeof(V1Service), true),
        ["ServiceAccount"] = ("v1", typeof(V1ServiceAccount), true),
        ["ConfigMap"] = ("v1", typeof(V1ConfigMap), true),
        ["Secret"] = ("v1", typeof(V1Secret), true),
        ["Endpoints"] = ("v1", typeof(V1Endpoints), true),
        ["Deployment"] = ("apps/v1", typeof(V1Deployment), true),
        ["StatefulSet"] = ("apps/v1", typeof(V1StatefulSet), true),
        ["DaemonSet"] = ("apps/v1", typeof(V1DaemonSet), true),
        ["ReplicaSet"] = ("apps/v1", typeof(V1ReplicaSet), true),
        ["ClusterRole"] = ("rbac.authorization.k8s.io/v1", typeof(V1ClusterRole), false),
        ["ClusterRoleBinding"] = ("rbac.authorization.k8s.io/v1", typeof(V1ClusterRoleBinding), false),
        ["Role"] = ("rbac.authorization.k8s.io/v1", typeof(V1Role), true),
        ["RoleBinding"] = ("rbac.authorization.k8s.io/v1", typeof(V1RoleBinding), true),
    };

    private static readonly HashSet<string> ClusterScopedOther = new(StringComparer.Ordinal)
    {
        "CustomResourceDefinition", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
        "PersistentVolume", "StorageClass", "PriorityClass", "APIService",
    };

    [GeneratedRegex("Property '(?<field>[^']+)' not found on type '(?<type>[^']+)'")]
    private static partial Regex UnknownProperty();

    public static ManifestObject Read(YamlMappingNode map, YamlReader reader, string[] lines, string defaultNamespace)
    {
        var apiVersion = reader.String(map, "apiVersion", "apiVersion");
        var kind = reader.String(map, "kind", "kind");
        var missing = new List<string>();
        if (string.IsNullOrEmpty(apiVersion))
        {
            missing.Add("apiVersion not set");
        }

        if (string.IsNullOrEmpty(kind))
        {
            missing.Add("kind not set");
        }

        if (missing.Count > 0)
        {
            // kubectl: error validating data: [apiVersion not set, kind not set]
            throw new ManifestException(reader.At(map), $"error validating data: [{string.Join(", ", missing)}]",
                "every object needs apiVersion and kind (e.g. apiVersion: apps/v1, kind: Deployment)");
        }

        var metadata = reader.Mapping(map, "metadata", "metadata");
        var name = reader.String(metadata, "name", "metadata.name");
        if (string.IsNullOrEmpty(name))
        {
            throw new ManifestException(reader.At(map), $"{kind}: resource name may not be empty",
                "set metadata.name");
        }

        var ns = reader.String(metadata, "namespace", "metadata.namespace");
        var namespaced = CoreKinds.TryGetValue(kind!, out var core) ? core.Namespaced : !ClusterScopedOther.Contains(kind!);
        var location = reader.At(map);
        var typed = ReadTyped(map, reader, lines, apiVersion!, kind!, name!, ns ?? defaultNamespace, core.Type);
        return new ManifestObject
        {
            ApiVersion = apiVersion!,
            Kind = kind!,
            Name = name!,
            Namespace = namespaced ? ns ?? defaultNamespace : null,
            Location = location,
            Root = map,
            Typed = typed,
        };
    }

    private static object? ReadTyped(YamlMappingNode map, YamlReader reader, string[] lines, string apiVersion, string kind, string name, string ns, Type? coreType)
    {
        if (coreType is not null)
        {
            var expected = CoreKinds[kind].ApiVersion;
            if (apiVersion != expected)
            {
                // kubectl: no matches for kind "Deployment" in version "extensions/v1beta1"
                throw new ManifestException(reader.At(YamlReader.Child(map, "apiVersion")!),
                    $"no matches for kind \"{kind}\" in version \"{apiVersion}\"",
                    $"use apiVersion: {expected}");
            }

            return ReadCore(map, reader, lines, coreType, kind, name);
        }

        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
        var version = apiVersion[(apiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..];
        return (group, kind) switch
        {
            ("opentelemetry.io", "OpenTelemetryCollector") when version is "v1beta1" or "v1alpha1" =>
                CollectorReader.Read(map, reader, lines, version, name, ns),
            ("opentelemetry.io", "Instrumentation") when version is "v1alpha1" =>
                InstrumentationReader.Read(map, reader, name, ns),
            ("opentelemetry.io", "TargetAllocator") when version is "v1alpha1" or "v1beta1" =>
                TargetAllocatorReader.Read(YamlReader.Child(map, "spec") as YamlMappingNode, reader, "spec", reader.At(map)),
            ("monitoring.coreos.com", "ServiceMonitor" or "PodMonitor") when version is "v1" =>
                MonitorReader.Read(map, reader, kind, name, ns),
            ("argoproj.io", "Application") when version is "v1alpha1" =>
                ArgoApplicationReader.Read(map, reader, name, ns),
            ("opentelemetry.io", _) or ("monitoring.coreos.com", _) when kind is "OpenTelemetryCollector" or "Instrumentation" or "TargetAllocator" or "ServiceMonitor" or "PodMonitor" =>
                throw new ManifestException(reader.At(YamlReader.Child(map, "apiVersion")!),
                    $"no matches for kind \"{kind}\" in version \"{apiVersion}\"",
                    "use opentelemetry.io/v1beta1 for OpenTelemetryCollector, opentelemetry.io/v1alpha1 for Instrumentation, monitoring.coreos.com/v1 for monitors"),
            _ => null,
        };
    }

    private static object ReadCore(YamlMappingNode map, YamlReader reader, string[] lines, Type type, string kind, string name)
    {
        var text = ManifestLoader.Slice(lines, map);
        try
        {
            // Strict like kubectl's default field validation: an unknown field is an error.
            var method = typeof(KubernetesYaml).GetMethod(nameof(KubernetesYaml.Deserialize), [typeof(string), typeof(bool)])!
                .MakeGenericMethod(type);
            return method.Invoke(null, [text, true])
                ?? throw new ManifestException(reader.At(map), $"{kind} \"{name}\": the document could not be read as a {kind}");
        }
        catch (System.Reflection.TargetInvocationException tie) when (tie.InnerException is YamlException e)
        {
            var at = new SourceLocation(reader.File, (int)e.Start.Line, (int)e.Start.Column);
            var unknown = UnknownProperty().Match(e.Message);
            if (unknown.Success)
            {
                throw new ManifestException(at,
                    $"{kind} \"{name}\": strict decoding error: unknown field \"{unknown.Groups["field"].Value}\"",
                    "remove the field or check its spelling and indentation against the Kubernetes API reference");
            }

            var detail = e.InnerException?.Message ?? ManifestLoader.Clean(e.Message);
            var found = ValueAt(lines, e.Start);
            throw new ManifestException(at,
                $"{kind} \"{name}\": cannot read the value{(found is null ? string.Empty : $" \"{found}\"")}: {detail}",
                "check the field's type (a number, a string, a list or a mapping) against the Kubernetes API reference");
        }
    }

    private static string? ValueAt(string[] lines, Mark mark)
    {
        var line = (int)mark.Line - 1;
        if (line < 0 || line >= lines.Length)
        {
            return null;
        }

        var text = lines[line];
        var col = Math.Max(0, (int)mark.Column - 1);
        return col < text.Length ? text[col..].Trim().TrimEnd('\r') : null;
    }
}
