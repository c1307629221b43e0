using k8s.Models;
using OtelLab.Model.Crds;
using InstrumentationCr = OtelLab.Model.Crds.Instrumentation;

namespace OtelLab.Sim.Operator.Instrumentation.Internal;

/// <summary>Java injection, ported from upstream internal/instrumentation/javaagent.go.</summary>
internal static class JavaAgent
{
    public const string InitContainerName = AgentPod.InitContainerName + "-java";
    public const string VolumeName = AgentPod.VolumeName + "-java";
    public const string MountPath = "/otel-auto-instrumentation-java";
    private const string JavaToolOptions = "JAVA_TOOL_OPTIONS";

    /// <summary>upstream injectJavaagentToContainer: java env (if unset) and the per-container mount.</summary>
    public static string? InjectToContainer(InstrumentationLanguage spec, V1Container container)
    {
        container.Env ??= [];
        if (EnvList.ValidateNotValueFrom(container.Env, JavaToolOptions) is { } error)
        {
            return error;
        }

        EnvList.AppendIfNotSet(container.Env, spec.Env);
        AgentPod.Mount(container, VolumeName, ContainerMountPath(container));
        return null;
    }

    /// <summary>upstream getDefaultJavaEnvVars: <c>-javaagent</c> appended to JAVA_TOOL_OPTIONS (left alone when it is a valueFrom).</summary>
    public static IEnumerable<V1EnvVar> DefaultEnv(V1Container container, InstrumentationLanguage spec)
    {
        var mount = ContainerMountPath(container);
        var argument = $" -javaagent:{mount}/javaagent.jar";
        if (spec.Extensions.Count > 0)
        {
            argument += $" -Dotel.javaagent.extensions={mount}/extensions";
        }

        var idx = EnvList.IndexOf(container.Env, JavaToolOptions);
        if (idx == -1)
        {
            return [EnvList.Value(JavaToolOptions, argument)];
        }

        var existing = container.Env[idx];
        return existing.ValueFrom is not null ? [] : [EnvList.Value(JavaToolOptions, existing.Value + argument)];
    }

    /// <summary>upstream injectJavaagentToPod: volume, the copy init container, one init container per extension.</summary>
    public static void InjectToPod(InstrumentationLanguage spec, V1Pod pod, string firstContainer, InstrumentationCr inst)
    {
        if (pod.Spec.InitContainers?.Any(c => c.Name == InitContainerName) == true)
        {
            return;
        }

        var init = AgentPod.CopyContainer(InitContainerName, spec.Image, ["cp", "/javaagent.jar", MountPath + "/javaagent.jar"], spec, inst, VolumeName, MountPath);
        AgentPod.AddAgent(pod, AgentPod.Volume(VolumeName, spec), init, firstContainer);
        for (var i = 0; i < spec.Extensions.Count; i++)
        {
            var ext = spec.Extensions[i];
            AgentPod.Insert(pod, new V1Container
            {
                Name = $"{AgentPod.InitContainerName}-extension-{i}",
                Image = ext.Image,
                Command = ["cp", "-r", ext.Dir + "/.", MountPath + "/extensions"],
                Resources = spec.Resources,
                VolumeMounts = [new V1VolumeMount { Name = VolumeName, MountPath = MountPath }],
            }, firstContainer);
        }
    }

    // upstream: a unique mount path per container, /otel-auto-instrumentation-java-<container>.
    private static string ContainerMountPath(V1Container container) => $"{MountPath}-{container.Name}";
}
