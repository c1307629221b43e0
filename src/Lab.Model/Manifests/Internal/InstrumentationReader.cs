using k8s.Models;
using OtelLab.Model.Crds;
using OtelLab.Model.Yaml;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Model.Manifests.Internal;

/// <summary>Reads an Instrumentation CR (<c>opentelemetry.io/v1alpha1</c>), validating its enums like the CRD schema.</summary>
internal static class InstrumentationReader
{
    // upstream: apis/v1alpha1/instrumentation_types.go — Propagator and SamplerType enums.
    private static readonly string[] Propagators = ["tracecontext", "baggage", "b3", "b3multi", "jaeger", "xray", "ottrace", "none"];

    private static readonly string[] Samplers =
    [
        "always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off",
        "parentbased_traceidratio", "jaeger_remote", "xray",
    ];

    private static readonly string[] PullPolicies = ["Always", "Never", "IfNotPresent"];

    private static readonly string[] LanguageKeys = ["java", "nodejs", "python", "dotnet", "go", "apacheHttpd", "nginx"];

    public static Instrumentation Read(YamlMappingNode map, YamlReader reader, string name, string ns)
    {
        var spec = reader.Mapping(map, "spec", "spec");
        var exporter = reader.Mapping(spec, "exporter", "spec.exporter");
        var sampler = reader.Mapping(spec, "sampler", "spec.sampler");
        var propagators = reader.StringList(spec, "propagators", "spec.propagators");
        var propSeq = reader.Sequence(spec, "propagators", "spec.propagators");
        for (var i = 0; i < propagators.Count; i++)
        {
            if (!Propagators.Contains(propagators[i]))
            {
                throw new ManifestException(reader.At(propSeq!.Children[i]),
                    $"spec.propagators[{i}]: Unsupported value: \"{propagators[i]}\": supported values: {string.Join(", ", Propagators.Select(p => $"\"{p}\""))}");
            }
        }

        var languages = new Dictionary<string, InstrumentationLanguage>(StringComparer.Ordinal);
        foreach (var key in LanguageKeys)
        {
            var block = reader.Mapping(spec, key, $"spec.{key}");
            if (block is not null)
            {
                languages[key] = ReadLanguage(block, reader, key);
            }
        }

        var resource = reader.Mapping(spec, "resource", "spec.resource");
        var defaults = reader.Mapping(spec, "defaults", "spec.defaults");

        return new Instrumentation
        {
            Name = name,
            Namespace = ns,
            Endpoint = reader.String(exporter, "endpoint", "spec.exporter.endpoint"),
            EndpointLocation = YamlReader.Child(exporter, "endpoint") is { } e ? reader.At(e) : reader.At(map),
            Propagators = propagators,
            SamplerType = reader.Enum(sampler, "type", "spec.sampler.type", Samplers),
            SamplerArgument = reader.String(sampler, "argument", "spec.sampler.argument"),
            Env = K8sFragment.ReadList<V1EnvVar>(spec, "env", "spec.env", reader),
            ResourceAttributes = reader.StringMap(resource, "resourceAttributes", "spec.resource.resourceAttributes"),
            AddK8sUidAttributes = reader.Bool(resource, "addK8sUIDAttributes", "spec.resource.addK8sUIDAttributes") ?? false,
            UseLabelsForResourceAttributes =
                reader.Bool(defaults, "useLabelsForResourceAttributes", "spec.defaults.useLabelsForResourceAttributes") ?? false,
            ImagePullPolicy = reader.Enum(spec, "imagePullPolicy", "spec.imagePullPolicy", PullPolicies),
            Languages = languages,
        };
    }

    private static InstrumentationLanguage ReadLanguage(YamlMappingNode block, YamlReader reader, string key)
    {
        // upstream: instrumentation_types.go — Java's field is `resources`, every other language's `resourceRequirements`.
        var resourcesKey = key == "java" ? "resources" : "resourceRequirements";
        var extensions = new List<InstrumentationExtension>();
        var extSeq = reader.Sequence(block, "extensions", $"spec.{key}.extensions");
        for (var i = 0; i < (extSeq?.Children.Count ?? 0); i++)
        {
            var path = $"spec.{key}.extensions[{i}]";
            var ext = extSeq!.Children[i] as YamlMappingNode ?? throw reader.TypeError(extSeq.Children[i], path, "a mapping (key: value pairs)");
            extensions.Add(new InstrumentationExtension(
                reader.String(ext, "image", $"{path}.image") ?? string.Empty,
                reader.String(ext, "dir", $"{path}.dir") ?? string.Empty));
        }

        return new InstrumentationLanguage(
            key,
            reader.String(block, "image", $"spec.{key}.image"),
            K8sFragment.ReadList<V1EnvVar>(block, "env", $"spec.{key}.env", reader))
        {
            Resources = K8sFragment.Read<V1ResourceRequirements>(block, resourcesKey, $"spec.{key}.{resourcesKey}", reader),
            VolumeSizeLimit = ReadQuantity(block, reader, "volumeLimitSize", $"spec.{key}.volumeLimitSize"),
            Extensions = extensions,
        };
    }

    private static ResourceQuantity? ReadQuantity(YamlMappingNode block, YamlReader reader, string key, string path)
    {
        var text = reader.String(block, key, path);
        if (text is null)
        {
            return null;
        }

        try
        {
            var quantity = new ResourceQuantity(text);
            _ = quantity.ToString();
            return quantity;
        }
        catch (FormatException)
        {
            throw new ManifestException(reader.At(YamlReader.Child(block, key)!),
                $"{path}: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
                "use a Kubernetes quantity such as 200Mi");
        }
    }
}
