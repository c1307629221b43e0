using System.Net;
using System.Runtime.CompilerServices;
using OtelLab.Scenarios.Cluster.Internal;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace OtelLab.Scenarios.Cluster;

/// <summary>
/// <see cref="ICluster"/> over KubernetesClient: the same client, requests and answers against the simulated
/// cluster's API server and a real cluster.
/// </summary>
/// <remarks>
/// Apply tries server-side apply first (<c>PATCH</c> with <c>application/apply-patch+yaml</c>, field manager
/// <c>otel-lab</c>, forced); an API server without it answers 415 (or 404 for an object that does not exist yet), and
/// the object is then created, or replaced at its current resourceVersion — client-go's create-or-update. Core
/// kinds go through their typed endpoints; every kind of a named API group (apps, RBAC, the operator's CRs) through
/// the generic ones, its resource found by discovery (<see cref="Internal.UnstructuredApply"/>).
/// </remarks>
public sealed class KubernetesCluster(IKubernetes client) : ICluster
{
    private const string FieldManager = "otel-lab";

    public IKubernetes Client => client;

    public async Task<IReadOnlyList<string>> ApplyAsync(string yaml, CancellationToken cancellationToken)
    {
        var results = new List<string>();
        var unstructured = new UnstructuredApply(client, FieldManager);
        foreach (var document in UnstructuredApply.Documents(yaml))
        {
            var json = document.ToJsonString();
            object? o = (document["apiVersion"]?.ToString(), document["kind"]?.ToString()) switch
            {
                ("v1", "Namespace") => KubernetesJson.Deserialize<V1Namespace>(json),
                ("v1", "ConfigMap") => KubernetesJson.Deserialize<V1ConfigMap>(json),
                ("v1", "Service") => KubernetesJson.Deserialize<V1Service>(json),
                ("v1", "ServiceAccount") => KubernetesJson.Deserialize<V1ServiceAccount>(json),
                ("v1", "Secret") => KubernetesJson.Deserialize<V1Secret>(json),
                ("apps/v1", "Deployment") => KubernetesJson.Deserialize<V1Deployment>(json),
                (var apiVersion, var kind) when apiVersion?.Contains('/', StringComparison.Ordinal) == true => null,
                (_, var kind) => throw new NotSupportedException(
                    $"{kind} {document["metadata"]?["name"]}: this cluster interface applies the core kinds Namespace, ConfigMap, Service, ServiceAccount and Secret, and any kind of a named API group; add the kind to KubernetesCluster.ApplyAsync"),
            };
            if (o is null)
            {
                results.Add(await unstructured.ApplyAsync(document, cancellationToken).ConfigureAwait(false));
                continue;
            }

            results.Add(o switch
            {
                V1Namespace n => await ApplyOneAsync("namespace", n.Metadata.Name,
                    () => client.CoreV1.PatchNamespaceAsync(Apply(n), n.Metadata.Name, fieldManager: FieldManager, force: true, cancellationToken: cancellationToken),
                    () => client.CoreV1.CreateNamespaceAsync(n, cancellationToken: cancellationToken),
                    async () => n.Metadata.ResourceVersion = (await client.CoreV1.ReadNamespaceAsync(n.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false)).Metadata.ResourceVersion,
                    () => client.CoreV1.ReplaceNamespaceAsync(n, n.Metadata.Name, cancellationToken: cancellationToken)).ConfigureAwait(false),
                V1ConfigMap c => await ApplyOneAsync("configmap", c.Metadata.Name,
                    () => client.CoreV1.PatchNamespacedConfigMapAsync(Apply(c), c.Metadata.Name, c.Namespace(), fieldManager: FieldManager, force: true, cancellationToken: cancellationToken),
                    () => client.CoreV1.CreateNamespacedConfigMapAsync(c, c.Namespace(), cancellationToken: cancellationToken),
                    async () => c.Metadata.ResourceVersion = (await client.CoreV1.ReadNamespacedConfigMapAsync(c.Metadata.Name, c.Namespace(), cancellationToken: cancellationToken).ConfigureAwait(false)).Metadata.ResourceVersion,
                    () => client.CoreV1.ReplaceNamespacedConfigMapAsync(c, c.Metadata.Name, c.Namespace(), cancellationToken: cancellationToken)).ConfigureAwait(false),
                V1Service s => await ApplyOneAsync("service", s.Metadata.Name,
                    () => client.CoreV1.PatchNamespacedServiceAsync(Apply(s), s.Metadata.Name, s.Namespace(), fieldManager: FieldManager, force: true, cancellationToken: cancellationToken),
                    () => client.CoreV1.CreateNamespacedServiceAsync(s, s.Namespace(), cancellationToken: cancellationToken),
                    async () =>
                    {
                        // A Service's clusterIP is immutable and server-assigned: a replace keeps the live one.
                        var live = await client.CoreV1.ReadNamespacedServiceAsync(s.Metadata.Name, s.Namespace(), cancellationToken: cancellationToken).ConfigureAwait(false);
                        s.Metadata.ResourceVersion = live.Metadata.ResourceVersion;
                        s.Spec.ClusterIP ??= live.Spec.ClusterIP;
                    },
                    () => client.CoreV1.ReplaceNamespacedServiceAsync(s, s.Metadata.Name, s.Namespace(), cancellationToken: cancellationToken)).ConfigureAwait(false),
                V1Deployment d => await ApplyOneAsync("deployment.apps", d.Metadata.Name,
                    () => client.AppsV1.PatchNamespacedDeploymentAsync(Apply(d), d.Metadata.Name, d.Namespace(), fieldManager: FieldManager, force: true, cancellationToken: cancellationToken),
                    () => client.AppsV1.CreateNamespacedDeploymentAsync(d, d.Namespace(), cancellationToken: cancellationToken),
                    async () => d.Metadata.ResourceVersion = (await client.AppsV1.ReadNamespacedDeploymentAsync(d.Metadata.Name, d.Namespace(), cancellationToken: cancellationToken).ConfigureAwait(false)).Metadata.ResourceVersion,
                    () => client.AppsV1.ReplaceNamespacedDeploymentAsync(d, d.Metadata.Name, d.Namespace(), cancellationToken: cancellationToken)).ConfigureAwait(false),
                V1ServiceAccount a => await ApplyOneAsync("serviceaccount", a.Metadata.Name,
                    () => client.CoreV1.PatchNamespacedServiceAccountAsync(Apply(a), a.Metadata.Name, a.Namespace() ?? "default", fieldManager: FieldManager, force: true, cancellationToken: cancellationToken),
                    () => client.CoreV1.CreateNamespacedServiceAccountAsync(a, a.Namespace() ?? "default", cancellationToken: cancellationToken),
                    async () => a.Metadata.ResourceVersion = (await client.CoreV1.ReadNamespacedServiceAccountAsync(a.Metadata.Name, a.Namespace() ?? "default", cancellationToken: cancellationToken).ConfigureAwait(false)).Metadata.ResourceVersion,
                    () => client.CoreV1.ReplaceNamespacedServiceAccountAsync(a, a.Metadata.Name, a.Namespace() ?? "default", cancellationToken: cancellationToken)).ConfigureAwait(false),
                V1Secret x => await ApplyOneAsync("secret", x.Metadata.Name,
                    () => client.CoreV1.PatchNamespacedSecretAsync(Apply(x), x.Metadata.Name, x.Namespace() ?? "default", fieldManager: FieldManager, force: true, cancellationToken: cancellationToken),
                    () => client.CoreV1.CreateNamespacedSecretAsync(x, x.Namespace() ?? "default", cancellationToken: cancellationToken),
                    async () => x.Metadata.ResourceVersion = (await client.CoreV1.ReadNamespacedSecretAsync(x.Metadata.Name, x.Namespace() ?? "default", cancellationToken: cancellationToken).ConfigureAwait(false)).Metadata.ResourceVersion,
                    () => client.CoreV1.ReplaceNamespacedSecretAsync(x, x.Metadata.Name, x.Namespace() ?? "default", cancellationToken: cancellationToken)).ConfigureAwait(false),
                _ => throw new NotSupportedException($"an object of type {o.GetType().Name} cannot be applied"),
            });
        }

        return results;
    }

    public async Task WaitForRolloutAsync(string ns, string deployment, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var last = "not read yet";
        try
        {
            while (true)
            {
                // A list then a watch from its resourceVersion: no change between the two is missed.
                var list = await client.AppsV1.ListNamespacedDeploymentAsync(ns, fieldSelector: $"metadata.name={deployment}", cancellationToken: deadline.Token).ConfigureAwait(false);
                if (list.Items.FirstOrDefault() is { } d && RolloutComplete(d, out last))
                {
                    return;
                }

                var events = client.AppsV1.WatchListNamespacedDeploymentAsync(ns, fieldSelector: $"metadata.name={deployment}",
                    resourceVersion: list.Metadata.ResourceVersion, timeoutSeconds: 60, cancellationToken: deadline.Token);
                await foreach (var (_, item) in events.ConfigureAwait(false))
                {
                    if (RolloutComplete(item, out last))
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"deployment {ns}/{deployment} did not roll out within {timeout}: {last}");
        }
    }

    public async Task ScaleAsync(string ns, string deployment, int replicas, CancellationToken cancellationToken)
    {
        // kubectl scale's request: a merge patch of the scale subresource (kubectl pkg/scale/scale.go).
        var patch = new V1Patch($"{{\"spec\":{{\"replicas\":{replicas}}}}}", V1Patch.PatchType.MergePatch);
        await client.AppsV1.PatchNamespacedDeploymentScaleAsync(patch, deployment, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<V1Pod>> PodsAsync(string ns, string labelSelector, CancellationToken cancellationToken) =>
        (await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: labelSelector, cancellationToken: cancellationToken).ConfigureAwait(false)).Items.ToList();

    public async Task DeletePodAsync(string ns, string pod, CancellationToken cancellationToken) =>
        await client.CoreV1.DeleteNamespacedPodAsync(pod, ns, cancellationToken: cancellationToken).ConfigureAwait(false);

    public async Task<string> LogsAsync(string ns, string pod, string? container, int? tailLines, CancellationToken cancellationToken)
    {
        await using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(pod, ns, container, tailLines: tailLines, cancellationToken: cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ExecResult> ExecAsync(string ns, string pod, string? container, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var code = await client.NamespacedPodExecAsync(pod, ns, container, command, tty: false, async (_, output, error) =>
        {
            using var outReader = new StreamReader(output);
            using var errReader = new StreamReader(error);
            var o = outReader.ReadToEndAsync(cancellationToken);
            var e = errReader.ReadToEndAsync(cancellationToken);
            stdout.Append(await o.ConfigureAwait(false));
            stderr.Append(await e.ConfigureAwait(false));
        }, cancellationToken).ConfigureAwait(false);
        return new ExecResult(code, stdout.ToString(), stderr.ToString());
    }

    public Task<PortForward> PortForwardAsync(string ns, string pod, int port, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(new PortForward(client, ns, pod, port));
    }

    public async Task DeleteNamespaceAsync(string ns, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.DeleteNamespaceAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    public async IAsyncEnumerable<PodEvent> WatchPodsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // client-go's reflector (tools/cache/reflector.go ListAndWatch): list, watch from the list's resourceVersion,
        // and list again when the watch ends or the version expired (410 Gone); the second list is diffed against what
        // was reported so a pod deleted while no watch was open still comes as Deleted.
        var known = new Dictionary<string, V1Pod>(StringComparer.Ordinal);
        while (!cancellationToken.IsCancellationRequested)
        {
            var list = await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var listed = list.Items.Select(p => new PodEvent(WatchEventType.Added, p)).ToList();
            foreach (var gone in known.Keys.Except(listed.Select(e => e.Key), StringComparer.Ordinal).ToList())
            {
                yield return new PodEvent(WatchEventType.Deleted, known[gone]);
                known.Remove(gone);
            }

            foreach (var e in listed)
            {
                var changed = known.TryGetValue(e.Key, out var before);
                if (!changed || before!.Metadata.ResourceVersion != e.Pod.Metadata.ResourceVersion)
                {
                    known[e.Key] = e.Pod;
                    yield return changed ? e with { Type = WatchEventType.Modified } : e;
                }
            }

            var resourceVersion = list.Metadata.ResourceVersion;
            await using var events = WatchFrom(resourceVersion, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (await events.MoveNextAsync().ConfigureAwait(false))
            {
                var e = events.Current;
                if (e.Type == WatchEventType.Deleted)
                {
                    known.Remove(e.Key);
                }
                else
                {
                    known[e.Key] = e.Pod;
                }

                yield return e;
            }
        }
    }

    // The watch's own events; an expired resourceVersion (410 Gone, as a status or an ERROR event) ends it quietly so
    // the caller lists again.
    private async IAsyncEnumerable<PodEvent> WatchFrom(string resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = client.CoreV1.WatchListPodForAllNamespacesAsync(resourceVersion: resourceVersion, allowWatchBookmarks: true, timeoutSeconds: 300, cancellationToken: cancellationToken);
        await using var e = events.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await e.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (HttpOperationException x) when (x.Response.StatusCode == HttpStatusCode.Gone)
            {
                yield break;
            }
            catch (KubernetesException x) when (x.Status?.Code == (int)HttpStatusCode.Gone)
            {
                yield break;
            }

            var (type, pod) = e.Current;
            if (type is WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted)
            {
                yield return new PodEvent(type, pod);
            }
        }
    }

    // upstream: kubectl pkg/polymorphichelpers/rollout_status.go DeploymentStatusViewer.Status.
    private static bool RolloutComplete(V1Deployment d, out string status)
    {
        var s = d.Status ?? new V1DeploymentStatus();
        var desired = d.Spec.Replicas ?? 1;
        status = $"generation {d.Metadata.Generation}, observed {s.ObservedGeneration}; {s.UpdatedReplicas ?? 0}/{desired} updated, {s.Replicas ?? 0} total, {s.AvailableReplicas ?? 0} available";
        return d.Metadata.Generation <= s.ObservedGeneration
            && (s.UpdatedReplicas ?? 0) >= desired
            && (s.Replicas ?? 0) <= (s.UpdatedReplicas ?? 0)
            && (s.AvailableReplicas ?? 0) >= (s.UpdatedReplicas ?? 0);
    }

    private static V1Patch Apply(object o) => new(KubernetesJson.Serialize(o), V1Patch.PatchType.ApplyPatch);

    private static async Task<string> ApplyOneAsync(string resource, string name, Func<Task> serverSide, Func<Task> create, Func<Task> readLive, Func<Task> replace)
    {
        try
        {
            await serverSide().ConfigureAwait(false);
            return $"{resource}/{name} serverside-applied";
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.UnsupportedMediaType or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            // no server-side apply here (or, on an API server without it, no such object yet)
        }

        try
        {
            await create().ConfigureAwait(false);
            return $"{resource}/{name} created";
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            await readLive().ConfigureAwait(false);
            await replace().ConfigureAwait(false);
            return $"{resource}/{name} replaced";
        }
    }
}
