using k8s.Models;
using OtelLab.Model.Crds;
using InstrumentationCr = OtelLab.Model.Crds.Instrumentation;

namespace OtelLab.Sim.Operator.Instrumentation.Internal;

/// <summary>Pod-level pieces shared by the language injectors (upstream helper.go instrVolume, sdk.go insertInitContainer).</summary>
internal static class AgentPod
{
    public const string VolumeName = "opentelemetry-auto-instrumentation";
    public const string InitContainerName = "opentelemetry-auto-instrumentation";

    // upstream: helper.go defaultSize = resource.MustParse("200Mi").
    private const string DefaultSizeLimit = "200Mi";

    /// <summary>upstream instrVolume: an emptyDir with the language's <c>volumeLimitSize</c> (default 200Mi).</summary>
    /// <remarks>A <c>volumeClaimTemplate</c> (ephemeral volume) is not read by the lab.</remarks>
    public static V1Volume Volume(string name, InstrumentationLanguage spec) => new()
    {
        Name = name,
        EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = spec.VolumeSizeLimit ?? new ResourceQuantity(DefaultSizeLimit) },
    };

    /// <summary>
    /// upstream injectXToPod: once per pod (when no init container of that name exists yet) add the volume and the init
    /// container that copies the agent into it; the init container goes before <paramref name="firstContainer"/> when
    /// that is itself an init container, else at the end.
    /// </summary>
    public static void AddAgent(V1Pod pod, V1Volume volume, V1Container init, string firstContainer)
    {
        pod.Spec.InitContainers ??= [];
        if (pod.Spec.InitContainers.Any(c => c.Name == init.Name))
        {
            return;
        }

        pod.Spec.Volumes ??= [];
        pod.Spec.Volumes.Add(volume);
        Insert(pod, init, firstContainer);
    }

    /// <summary>upstream insertInitContainer.</summary>
    public static void Insert(V1Pod pod, V1Container init, string targetContainer)
    {
        var inits = pod.Spec.InitContainers ??= [];
        var idx = inits.ToList().FindIndex(c => c.Name == targetContainer);
        if (idx >= 0)
        {
            inits.Insert(idx, init);
        }
        else
        {
            inits.Add(init);
        }
    }

    /// <summary>An init container running <paramref name="command"/> with the agent volume mounted at <paramref name="mountPath"/>.</summary>
    public static V1Container CopyContainer(string name, string? image, IList<string> command, InstrumentationLanguage spec, InstrumentationCr inst, string volume, string mountPath) => new()
    {
        Name = name,
        Image = image,
        Command = command,
        Resources = spec.Resources,
        VolumeMounts = [new V1VolumeMount { Name = volume, MountPath = mountPath }],
        ImagePullPolicy = inst.ImagePullPolicy,
    };

    /// <summary>upstream setInitContainerSecurityContext: the init container runs with the first target container's security context.</summary>
    /// <remarks><c>spec.&lt;lang&gt;.securityContext</c> (which would win) is not read by the lab.</remarks>
    public static void CopySecurityContext(V1Pod pod, string initContainerName, V1Container from)
    {
        foreach (var c in pod.Spec.InitContainers ?? [])
        {
            if (c.Name == initContainerName)
            {
                c.SecurityContext = from.SecurityContext;
            }
        }
    }

    public static void Mount(V1Container container, string volume, string mountPath)
    {
        container.VolumeMounts ??= [];
        container.VolumeMounts.Add(new V1VolumeMount { Name = volume, MountPath = mountPath });
    }
}
