using OtelLab.Model.Crds;
using k8s.Models;
using OtelLab.Sim.Operator.Instrumentation.Internal;
using InstrumentationCr = OtelLab.Model.Crds.Instrumentation;

namespace OtelLab.Sim.Operator.Instrumentation;

/// <summary>
/// The operator's pod-mutation webhook for auto-instrumentation, ported from open-telemetry/opentelemetry-operator
/// internal/instrumentation/podmutator.go (<c>instPodMutator.Mutate</c>) and internal/webhook/podmutation/webhookhandler.go.
/// </summary>
/// <remarks>
/// It runs only when a pod is <b>created</b> and reads only the pod's and its namespace's annotations: an inject
/// annotation on a Deployment's own <c>metadata</c> (rather than its pod template) never reaches it, so such a pod is
/// created unmodified and nothing is logged above debug level. Errors never block the pod: it is created unmodified.
/// Not emulated: Go / Apache HTTPD / Nginx injection, <c>spec.exporter.tls</c>, volumeClaimTemplate, per-language
/// securityContext and init-container command overrides, the injector feature gate, and upstream's newer
/// <c>spec.autoInjection</c> (target-service) path.
/// </remarks>
public sealed class PodMutator(PodMutatorOptions? options = null)
{
    private readonly PodMutatorOptions _options = options ?? new PodMutatorOptions();

    /// <summary>Handles the admission of <paramref name="pod"/> (not modified; the result carries a copy).</summary>
    public PodMutationResult Mutate(V1Pod pod, PodMutationContext context)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(context);
        var log = new MutationLog();
        var working = PodCopy.Clone(pod);
        var error = Mutate(working, context, log, out var inject);
        if (error is not null)
        {
            // upstream webhookhandler.go: admission.Errored(500, err) with Allowed = true — the pod is created as submitted.
            return new PodMutationResult { Pod = PodCopy.Clone(pod), AdmissionError = error, Events = log.Events, Logs = log.Logs };
        }

        if (inject is not null)
        {
            new SdkInjector(context.NamespaceName, context.Owners, log).Inject(inject, working);
        }

        return new PodMutationResult
        {
            Pod = working,
            Mutated = !PodCopy.SameJson(pod, working),
            Events = log.Events,
            Logs = log.Logs,
        };
    }

    // upstream instPodMutator.Mutate up to sdkInjector.inject: returns an error, or the languages to inject (null: none).
    private string? Mutate(V1Pod pod, PodMutationContext context, MutationLog log, out List<LanguageSelection>? inject)
    {
        inject = null;
        if (AlreadyInstrumented(pod))
        {
            log.Info("Skipping pod instrumentation - already instrumented");
            return null;
        }

        var podMeta = pod.Metadata ??= new V1ObjectMeta();
        var nsMeta = context.Namespace.Metadata ?? new V1ObjectMeta();
        var selected = new List<LanguageSelection>();
        foreach (var language in AutoLanguage.SelectionOrder)
        {
            var (inst, error) = Select(language, podMeta, nsMeta, context);
            if (error is not null)
            {
                log.Error("failed to select an OpenTelemetry Instrumentation instance for this pod", error);
                return error;
            }

            if (inst is null)
            {
                continue;
            }

            if (!language.Enabled(_options))
            {
                var message = $"support for {language.DisplayName} auto instrumentation is not enabled";
                log.Error(message);
                log.Warning("InstrumentationRequestRejected", message);
                continue;
            }

            var selection = new LanguageSelection(language, inst);
            if (language == AutoLanguage.Python || language == AutoLanguage.DotNet)
            {
                var key = language == AutoLanguage.Python ? InstrumentationAnnotations.PythonPlatform : InstrumentationAnnotations.DotNetRuntime;
                selection.AdditionalAnnotations[key] = InstrumentationSelection.EffectiveValue(podMeta.Annotations, nsMeta.Annotations, key);
            }

            selected.Add(selection);
        }

        if (selected.Count == 0)
        {
            log.Debug("annotation not present in deployment, skipping instrumentation injection");
            return null;
        }

        if (ContainerSelection.SetCommon(selected, nsMeta, podMeta) is { } namesError)
        {
            return namesError;
        }

        // upstream validateInstrumentations checks spec.exporter.tls secrets/configmaps; TLS is not emulated.
        if (_options.EnableMultiInstrumentation)
        {
            if (ContainerSelection.SetLanguageSpecific(selected, nsMeta, podMeta) is { } languageNamesError)
            {
                return languageNamesError;
            }

            if (ContainerSelection.CheckConsistent(selected) is { } reason)
            {
                log.Debug("skipping instrumentation injection", reason);
                return null;
            }
        }

        inject = selected;
        return null;
    }

    // upstream getInstrumentationInstance / selectInstrumentationInstanceFromNamespace (shared with the lint).
    private static (InstrumentationCr? Instrumentation, string? Error) Select(AutoLanguage language, V1ObjectMeta pod, V1ObjectMeta ns, PodMutationContext context)
    {
        var value = InstrumentationSelection.EffectiveValue(pod.Annotations, ns.Annotations, language.InjectAnnotation);
        return InstrumentationSelection.Requests(value)
            ? InstrumentationSelection.Select(value, context.NamespaceName, context.Instrumentations)
            : (null, null);
    }

    // upstream helper.go isAutoInstrumentationInjected.
    private static bool AlreadyInstrumented(V1Pod pod)
    {
        string[] initNames =
        [
            DotNetSdk.InitContainerName, JavaAgent.InitContainerName, NodeJsSdk.InitContainerName, PythonSdk.InitContainerName,
            "otel-agent-attach-apache", "otel-agent-source-container-clone",
        ];
        if (pod.Spec?.InitContainers?.Any(c => initNames.Contains(c.Name)) == true)
        {
            return true;
        }

        foreach (var c in pod.Spec?.Containers ?? [])
        {
            // The Go agent runs as a sidecar of this name.
            if (c.Name == AgentPod.InitContainerName)
            {
                return true;
            }

            // OTEL_RESOURCE_ATTRIBUTES_NODE_NAME is also set in collector sidecars (otc-container), which do not count.
            if (c.Name != "otc-container" && c.Env?.Any(e => e.Name == SdkEnv.NodeName) == true)
            {
                return true;
            }
        }

        return false;
    }
}
