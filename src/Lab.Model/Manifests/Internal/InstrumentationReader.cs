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
                languages[key] = new InstrumentationLanguage(
                    key,
                    reader.String(block, "image", $"spec.{key}.image"),
                    K8sFragment.ReadList<V1EnvVar>(block, "env", $"spec.{key}.env", reader));
            }
        }

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
            Languages = languages,
        };
    }
}
