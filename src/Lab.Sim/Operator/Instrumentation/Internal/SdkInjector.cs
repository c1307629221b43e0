using k8s.Models;
using InstrumentationCr = OtelLab.Model.Crds.Instrumentation;

namespace OtelLab.Sim.Operator.Instrumentation.Internal;

/// <summary>
/// Injects the selected languages into a pod, ported from upstream internal/instrumentation/sdk.go (sdkInjector.inject,
/// injectJava/NodeJS/Python/DotNet/Sdk, injectCommonEnvVar, injectCommonSDKConfig) and exporter.go (configureExporter).
/// </summary>
internal sealed class SdkInjector(string namespaceName, IWorkloadOwners owners, MutationLog log)
{
    public void Inject(IReadOnlyList<LanguageSelection> selected, V1Pod pod)
    {
        if (pod.Spec?.Containers is not { Count: > 0 })
        {
            return;
        }

        foreach (var language in AutoLanguage.InjectionOrder)
        {
            foreach (var s in selected.Where(s => s.Language == language))
            {
                Inject(s, pod);
            }
        }
    }

    private void Inject(LanguageSelection s, V1Pod pod)
    {
        var inst = s.Instrumentation;
        var spec = inst.Language(s.Language.Block);
        if (s.Language == AutoLanguage.Java)
        {
            InjectAgent(s, pod, "javaagent", c => JavaAgent.InjectToContainer(spec, c),
                c => EnvList.AppendOrReplace(c.Env, JavaAgent.DefaultEnv(c, spec).ToList()),
                first => JavaAgent.InjectToPod(spec, pod, first, inst), JavaAgent.InitContainerName);
        }
        else if (s.Language == AutoLanguage.NodeJs)
        {
            InjectAgent(s, pod, "NodeJS SDK", c => NodeJsSdk.InjectToContainer(spec, c),
                c => EnvList.AppendOrReplace(c.Env, NodeJsSdk.DefaultEnv(c).ToList()),
                first => NodeJsSdk.InjectToPod(spec, pod, first, inst), NodeJsSdk.InitContainerName);
        }
        else if (s.Language == AutoLanguage.Python)
        {
            var platform = s.AdditionalAnnotations.GetValueOrDefault(InstrumentationAnnotations.PythonPlatform, string.Empty);
            InjectAgent(s, pod, "Python SDK", c => PythonSdk.InjectToContainer(spec, c, platform),
                c => EnvList.AppendIfNotSet(c.Env, PythonSdk.DefaultEnv()),
                first => PythonSdk.InjectToPod(spec, pod, first, platform, inst), PythonSdk.InitContainerName);
        }
        else if (s.Language == AutoLanguage.DotNet)
        {
            var runtime = s.AdditionalAnnotations.GetValueOrDefault(InstrumentationAnnotations.DotNetRuntime, string.Empty);
            InjectAgent(s, pod, "DotNet SDK", c => DotNetSdk.InjectToContainer(spec, c, runtime),
                c => DotNetSdk.InjectDefaultEnv(c, runtime),
                first => DotNetSdk.InjectToPod(spec, pod, first, inst), DotNetSdk.InitContainerName);
        }
        else if (s.Language == AutoLanguage.Sdk)
        {
            // upstream injectSdk: only the common SDK configuration, no agent.
            foreach (var c in ContainerSelection.ToInstrument(s, pod))
            {
                InjectCommonEnvVar(inst, c);
                InjectCommonSdkConfig(inst, pod, c);
            }
        }
        else
        {
            log.NotEmulated($"lab: {s.Language.DisplayName} injection is not emulated; the pod gets no {s.Language.DisplayName} instrumentation");
        }
    }

    // upstream injectJava / injectNodeJS / injectPython / injectDotNet share this shape.
    private void InjectAgent(
        LanguageSelection s,
        V1Pod pod,
        string what,
        Func<V1Container, string?> toContainer,
        Action<V1Container> defaults,
        Action<string> toPod,
        string initContainerName)
    {
        var containers = ContainerSelection.ToInstrument(s, pod);
        if (containers.Count == 0)
        {
            return;
        }

        foreach (var c in containers)
        {
            if (toContainer(c) is { } reason)
            {
                log.Info($"Skipping {what} injection", $"{reason} (container {c.Name})");
                continue;
            }

            InjectCommonEnvVar(s.Instrumentation, c);
            defaults(c);
            InjectCommonSdkConfig(s.Instrumentation, pod, c);
        }

        toPod(containers[0].Name);
        AgentPod.CopySecurityContext(pod, initContainerName, containers[0]);
    }

    /// <summary>upstream injectCommonEnvVar: OTEL_POD_IP then OTEL_NODE_IP prepended (so NODE_IP ends first), spec.env appended if unset.</summary>
    private static void InjectCommonEnvVar(InstrumentationCr inst, V1Container c)
    {
        c.Env ??= [];
        if (EnvList.IndexOf(c.Env, SdkEnv.PodIp) == -1)
        {
            c.Env.Insert(0, EnvList.FieldRef(SdkEnv.PodIp, "status.podIP"));
        }

        if (EnvList.IndexOf(c.Env, SdkEnv.NodeIp) == -1)
        {
            c.Env.Insert(0, EnvList.FieldRef(SdkEnv.NodeIp, "status.hostIP"));
        }

        EnvList.AppendIfNotSet(c.Env, inst.Env);
    }

    /// <summary>upstream injectCommonSDKConfig (agent container = app container for every language emulated here).</summary>
    private void InjectCommonSdkConfig(InstrumentationCr inst, V1Pod pod, V1Container c)
    {
        c.Env ??= [];
        var useLabels = inst.UseLabelsForResourceAttributes;
        var resources = ResourceMap.Create(inst, namespaceName, pod, c, owners, log);
        if (EnvList.IndexOf(c.Env, SdkEnv.ServiceName) == -1)
        {
            c.Env.Add(EnvList.Value(SdkEnv.ServiceName, ResourceMap.ServiceNameFor(pod, useLabels, resources, c)));
        }

        // upstream exporter.go configureExporter: the endpoint is copied verbatim, only if unset ($(VAR) included).
        // spec.exporter.tls (secret/configmap volumes, certificate env vars) is not read by the lab.
        if (!string.IsNullOrEmpty(inst.Endpoint))
        {
            EnvList.AppendIfNotSet(c.Env, [EnvList.Value(SdkEnv.ExporterOtlpEndpoint, inst.Endpoint)]);
        }

        // Always from the Downward API, even when already present.
        c.Env.Add(EnvList.FieldRef(SdkEnv.PodName, "metadata.name"));
        resources[ResourceMap.PodName] = $"$({SdkEnv.PodName})";

        if (inst.AddK8sUidAttributes && resources.GetValueOrDefault(ResourceMap.PodUid, string.Empty).Length == 0)
        {
            c.Env.Add(EnvList.FieldRef(SdkEnv.PodUid, "metadata.uid"));
            resources[ResourceMap.PodUid] = $"$({SdkEnv.PodUid})";
        }

        var idx = EnvList.IndexOf(c.Env, SdkEnv.ResourceAttributes);
        if (idx == -1 || !(c.Env[idx].Value ?? string.Empty).Contains(ResourceMap.ServiceVersion, StringComparison.Ordinal))
        {
            if (ResourceMap.ServiceVersionFor(pod, useLabels, c) is { Length: > 0 } version)
            {
                resources[ResourceMap.ServiceVersion] = version;
            }
        }

        if (resources.GetValueOrDefault(ResourceMap.NodeName, string.Empty).Length == 0)
        {
            c.Env.Add(EnvList.FieldRef(SdkEnv.NodeName, "spec.nodeName"));
            resources[ResourceMap.NodeName] = $"$({SdkEnv.NodeName})";
        }

        idx = EnvList.IndexOf(c.Env, SdkEnv.ResourceAttributes);
        var attributes = ResourceMap.Format(resources);
        if (idx == -1)
        {
            c.Env.Add(EnvList.Value(SdkEnv.ResourceAttributes, attributes));
        }
        else
        {
            var current = c.Env[idx].Value ?? string.Empty;
            c.Env[idx].Value = current + (current.EndsWith(',') ? attributes : "," + attributes);
        }

        if (EnvList.IndexOf(c.Env, SdkEnv.Propagators) == -1 && inst.Propagators.Count > 0)
        {
            c.Env.Add(EnvList.Value(SdkEnv.Propagators, string.Join(",", inst.Propagators)));
        }

        // The sampler only when the CR configures one and the container sets neither variable.
        if (EnvList.IndexOf(c.Env, SdkEnv.TracesSampler) == -1 && !string.IsNullOrEmpty(inst.SamplerType)
            && EnvList.IndexOf(c.Env, SdkEnv.TracesSamplerArg) == -1)
        {
            c.Env.Add(EnvList.Value(SdkEnv.TracesSampler, inst.SamplerType));
            if (!string.IsNullOrEmpty(inst.SamplerArgument))
            {
                c.Env.Add(EnvList.Value(SdkEnv.TracesSamplerArg, inst.SamplerArgument));
            }
        }

        // Last, so that the $(OTEL_RESOURCE_ATTRIBUTES_*) references it holds are defined before it.
        EnvList.MoveToEnd(c.Env, SdkEnv.ResourceAttributes);
    }
}
