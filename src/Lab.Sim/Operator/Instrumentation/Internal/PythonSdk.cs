using k8s.Models;
using OtelLab.Model.Crds;
using InstrumentationCr = OtelLab.Model.Crds.Instrumentation;

namespace OtelLab.Sim.Operator.Instrumentation.Internal;

/// <summary>Python injection, ported from upstream internal/instrumentation/python.go (injector feature gate off).</summary>
internal static class PythonSdk
{
    public const string InitContainerName = AgentPod.InitContainerName + "-python";
    public const string VolumeName = AgentPod.VolumeName + "-python";
    public const string MountPath = "/otel-auto-instrumentation-python";
    private const string PythonPath = "PYTHONPATH";
    private const string PathPrefix = "/otel-auto-instrumentation-python/opentelemetry/instrumentation/auto_instrumentation";
    private const string PathSuffix = "/otel-auto-instrumentation-python";

    /// <summary>upstream pythonPlatformSrc: what the init container copies for the <c>otel-python-platform</c> annotation.</summary>
    public static (string? Source, string? Error) PlatformSource(string platform) => platform switch
    {
        "" or "glibc" => ("/autoinstrumentation/.", null),
        "musl" => ("/autoinstrumentation-musl/.", null),
        _ => (null, $"provided instrumentation.opentelemetry.io/otel-python-platform annotation value '{platform}' is not supported"),
    };

    /// <summary>upstream injectPythonSDKToContainer: python env, PYTHONPATH (set, or wrapped around the existing value), mount.</summary>
    public static string? InjectToContainer(InstrumentationLanguage spec, V1Container container, string platform)
    {
        container.Env ??= [];
        if ((EnvList.ValidateNotValueFrom(container.Env, PythonPath) ?? PlatformSource(platform).Error) is { } error)
        {
            return error;
        }

        EnvList.AppendIfNotSet(container.Env, spec.Env);
        var idx = EnvList.IndexOf(container.Env, PythonPath);
        if (idx == -1)
        {
            container.Env.Add(EnvList.Value(PythonPath, $"{PathPrefix}:{PathSuffix}"));
        }
        else
        {
            container.Env[idx].Value = $"{PathPrefix}:{container.Env[idx].Value}:{PathSuffix}";
        }

        AgentPod.Mount(container, VolumeName, MountPath);
        return null;
    }

    /// <summary>upstream getDefaultPythonEnvVars, applied if unset: the Python agent only ships OTLP over HTTP.</summary>
    public static IEnumerable<V1EnvVar> DefaultEnv() =>
    [
        EnvList.Value(SdkEnv.ExporterOtlpProtocol, "http/protobuf"),
        EnvList.Value(SdkEnv.TracesExporter, "otlp"),
        EnvList.Value(SdkEnv.MetricsExporter, "otlp"),
        EnvList.Value(SdkEnv.LogsExporter, "otlp"),
    ];

    public static void InjectToPod(InstrumentationLanguage spec, V1Pod pod, string firstContainer, string platform, InstrumentationCr inst)
    {
        // upstream: `autoInstrumentationSrc, _ := pythonPlatformSrc(platform)` — an invalid platform copies "".
        var source = PlatformSource(platform).Source ?? string.Empty;
        var init = AgentPod.CopyContainer(InitContainerName, spec.Image, ["cp", "-r", source, MountPath], spec, inst, VolumeName, MountPath);
        AgentPod.AddAgent(pod, AgentPod.Volume(VolumeName, spec), init, firstContainer);
    }
}
