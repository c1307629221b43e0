using k8s.Models;
using OtelLab.Model.Crds;
using InstrumentationCr = OtelLab.Model.Crds.Instrumentation;

namespace OtelLab.Sim.Operator.Instrumentation.Internal;

/// <summary>Node.js injection, ported from upstream internal/instrumentation/nodejs.go.</summary>
internal static class NodeJsSdk
{
    public const string InitContainerName = AgentPod.InitContainerName + "-nodejs";
    public const string VolumeName = AgentPod.VolumeName + "-nodejs";
    public const string MountPath = "/otel-auto-instrumentation-nodejs";
    private const string NodeOptions = "NODE_OPTIONS";
    private const string RequireArgument = " --require /otel-auto-instrumentation-nodejs/autoinstrumentation.js";

    public static string? InjectToContainer(InstrumentationLanguage spec, V1Container container)
    {
        container.Env ??= [];
        if (EnvList.ValidateNotValueFrom(container.Env, NodeOptions) is { } error)
        {
            return error;
        }

        EnvList.AppendIfNotSet(container.Env, spec.Env);
        AgentPod.Mount(container, VolumeName, MountPath);
        return null;
    }

    /// <summary>upstream getDefaultNodeJSEnvVars: NODE_OPTIONS gets <c>--require</c>; OTEL_METRICS_EXPORTER=otlp if unset.</summary>
    public static IEnumerable<V1EnvVar> DefaultEnv(V1Container container)
    {
        var idx = EnvList.IndexOf(container.Env, NodeOptions);
        if (idx == -1)
        {
            yield return EnvList.Value(NodeOptions, RequireArgument);
        }
        else if (container.Env[idx].ValueFrom is null)
        {
            yield return EnvList.Value(NodeOptions, container.Env[idx].Value + RequireArgument);
        }

        if (EnvList.IndexOf(container.Env, SdkEnv.MetricsExporter) == -1)
        {
            yield return EnvList.Value(SdkEnv.MetricsExporter, "otlp");
        }
    }

    public static void InjectToPod(InstrumentationLanguage spec, V1Pod pod, string firstContainer, InstrumentationCr inst)
    {
        // spec.nodejs.initContainer.command/args overrides (upstream initContainerCommand) are not read by the lab.
        var init = AgentPod.CopyContainer(InitContainerName, spec.Image, ["cp", "-r", "/autoinstrumentation/.", MountPath], spec, inst, VolumeName, MountPath);
        AgentPod.AddAgent(pod, AgentPod.Volume(VolumeName, spec), init, firstContainer);
    }
}
