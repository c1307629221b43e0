using k8s.Models;
using OtelLab.Model.Crds;
using InstrumentationCr = OtelLab.Model.Crds.Instrumentation;

namespace OtelLab.Sim.Operator.Instrumentation.Internal;

/// <summary>.NET injection, ported from upstream internal/instrumentation/dotnet.go.</summary>
internal static class DotNetSdk
{
    public const string InitContainerName = AgentPod.InitContainerName + "-dotnet";
    public const string VolumeName = AgentPod.VolumeName + "-dotnet";
    public const string MountPath = "/otel-auto-instrumentation-dotnet";
    private const string StartupHooks = "DOTNET_STARTUP_HOOKS";
    private const string AdditionalDeps = "DOTNET_ADDITIONAL_DEPS";
    private const string SharedStore = "DOTNET_SHARED_STORE";
    private const string AutoHome = "OTEL_DOTNET_AUTO_HOME";

    public static string? InjectToContainer(InstrumentationLanguage spec, V1Container container, string runtime)
    {
        container.Env ??= [];
        if (EnvList.ValidateNotValueFrom(container.Env, StartupHooks, AdditionalDeps, SharedStore) is { } error)
        {
            return error;
        }

        // upstream: an OTEL_DOTNET_AUTO_HOME already set means .NET auto-instrumentation is configured by hand.
        if (EnvList.IndexOf(container.Env, AutoHome) > -1)
        {
            return "OTEL_DOTNET_AUTO_HOME environment variable is already set in the container";
        }

        if (spec.Env.Any(e => e.Name == AutoHome))
        {
            return "OTEL_DOTNET_AUTO_HOME environment variable is already set in the .NET instrumentation spec";
        }

        if (runtime is not ("" or "linux-x64" or "linux-musl-x64"))
        {
            return $"provided instrumentation.opentelemetry.io/dotnet-runtime annotation value '{runtime}' is not supported";
        }

        EnvList.AppendIfNotSet(container.Env, spec.Env);
        AgentPod.Mount(container, VolumeName, MountPath);
        return null;
    }

    /// <summary>upstream injectDefaultDotNetEnvVars / setDotNetEnvVar: set if absent; path lists are extended with ':'.</summary>
    public static void InjectDefaultEnv(V1Container container, string runtime)
    {
        var profiler = runtime == "linux-musl-x64"
            ? MountPath + "/linux-musl-x64/OpenTelemetry.AutoInstrumentation.Native.so"
            : MountPath + "/linux-x64/OpenTelemetry.AutoInstrumentation.Native.so";
        Set(container, "CORECLR_ENABLE_PROFILING", "1", concat: false);
        Set(container, "CORECLR_PROFILER", "{918728DD-259F-4A6A-AC2B-B85E1B658318}", concat: false);
        Set(container, "CORECLR_PROFILER_PATH", profiler, concat: false);
        Set(container, StartupHooks, MountPath + "/net/OpenTelemetry.AutoInstrumentation.StartupHook.dll", concat: true);
        Set(container, AdditionalDeps, MountPath + "/AdditionalDeps", concat: true);
        Set(container, AutoHome, MountPath, concat: false);
        Set(container, SharedStore, MountPath + "/store", concat: true);
    }

    public static void InjectToPod(InstrumentationLanguage spec, V1Pod pod, string firstContainer, InstrumentationCr inst)
    {
        var init = AgentPod.CopyContainer(InitContainerName, spec.Image, ["cp", "-r", "/autoinstrumentation/.", MountPath], spec, inst, VolumeName, MountPath);
        AgentPod.AddAgent(pod, AgentPod.Volume(VolumeName, spec), init, firstContainer);
    }

    private static void Set(V1Container container, string name, string value, bool concat)
    {
        var idx = EnvList.IndexOf(container.Env, name);
        if (idx < 0)
        {
            container.Env.Add(EnvList.Value(name, value));
        }
        else if (container.Env[idx].ValueFrom is null && concat)
        {
            container.Env[idx].Value = $"{container.Env[idx].Value}:{value}";
        }
    }
}
