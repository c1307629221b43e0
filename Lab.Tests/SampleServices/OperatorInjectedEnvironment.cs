using k8s.Models;
using OtelLab.Sim.Kubelet;
using OtelLab.Sim.Operator.Instrumentation;
using static OtelLab.Tests.Sim.Operator.Instrumentation.WebhookFixture;

namespace OtelLab.Tests.SampleServices;

/// <summary>
/// The process environment a sample service gets in a cluster: its Deployment goes through the lab's
/// <see cref="PodMutator"/> (the operator's webhook) and <see cref="ContainerEnvironment"/> (the kubelet), then the
/// agent mount paths (<c>/otel-auto-instrumentation-*</c>, filled by the init containers in a cluster) are mapped to
/// the agents built in this repository.
/// </summary>
internal static class OperatorInjectedEnvironment
{
    public const string Ns = "shop";
    public const string NodeName = "node-1";

    /// <summary>The name the API server generates for the service's pod (ReplicaSet name + random suffix).</summary>
    public static string PodName(string service) => $"{service}-{TemplateHash}-abcde";

    /// <param name="language">java, python or nodejs (the inject-&lt;language&gt; annotation).</param>
    /// <param name="agentDirs">mount-path volume name → local folder holding what the init container would copy.</param>
    public static IReadOnlyDictionary<string, string> For(
        string service,
        string language,
        IReadOnlyDictionary<string, string> containerEnv,
        string instrumentationYaml,
        IReadOnlyDictionary<string, string> agentDirs)
    {
        var envYaml = string.Join("\n", containerEnv.Select(e => $"            - name: {e.Key}\n              value: \"{e.Value}\""));
        var deployment = Deployment($"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {service}
              namespace: {Ns}
            spec:
              selector:
                matchLabels: {"{"}app: {service}{"}"}
              template:
                metadata:
                  labels: {"{"}app: {service}{"}"}
                  annotations:
                    instrumentation.opentelemetry.io/inject-{language}: "true"
                spec:
                  containers:
                  - name: {service}
                    image: lab/{service}:1.0.0
                    env:
            {envYaml}
            """);
        var (pod, owners) = PodFor(deployment);
        var context = new PodMutationContext
        {
            Namespace = Namespace(Ns),
            Instrumentations = [InstrumentationDefaulter.Apply(InstrumentationFrom(instrumentationYaml, Ns))],
            Owners = owners,
        };
        var result = new PodMutator().Mutate(pod, context);
        if (!result.Mutated)
        {
            throw new InvalidOperationException($"the webhook did not instrument {service}: {string.Join("; ", result.Events.Select(e => e.ToString()))}");
        }

        // What the API server and scheduler add after admission.
        var running = result.Pod;
        running.Metadata.Name = PodName(service);
        running.Spec.NodeName = NodeName;
        running.Status = new V1PodStatus { PodIP = "127.0.0.1", HostIP = "127.0.0.1" };
        var container = running.Spec.Containers.Single(c => c.Name == service);
        var env = ContainerEnvironment.Resolve(running, container);
        if (!env.Succeeded)
        {
            throw new InvalidOperationException($"the kubelet could not build {service}'s environment: {env.Error}");
        }

        var mounts = (container.VolumeMounts ?? []).Where(m => agentDirs.ContainsKey(m.Name)).ToList();
        return env.Variables.ToDictionary(
            v => v.Key,
            v => mounts.Aggregate(v.Value, (value, m) => value.Replace(m.MountPath, agentDirs[m.Name], StringComparison.Ordinal)),
            StringComparer.Ordinal);
    }
}
