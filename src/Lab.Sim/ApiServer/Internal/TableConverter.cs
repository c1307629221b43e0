using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Cluster.Internal;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// Server-side printing: the <c>Table</c> kubectl get asks for (<c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>).
/// Columns and cells follow upstream's printers (kubernetes pkg/printers/internalversion/printers.go AddHandlers,
/// printPod/printDeployment/printService/…); CRs use their CRD's additionalPrinterColumns
/// (apiextensions-apiserver pkg/registry/customresource/tableconvertor/tableconvertor.go); other kinds the generic
/// Name + Created At (apiserver pkg/registry/rest/table.go).
/// </summary>
internal sealed class TableConverter(SimulatedCluster cluster)
{
    private static readonly TableColumn Name = new("Name", "string", "name", "Name must be unique within a namespace.");
    private static readonly TableColumn Age = new("Age", "string", Description: "CreationTimestamp is a timestamp representing the server time when this object was created.");

    public static IReadOnlyList<TableColumn> Columns(ResourceKind kind) => kind.Resource switch
    {
        "pods" =>
        [
            Name, new("Ready", "string", Description: "The aggregate readiness state of this pod for accepting traffic."),
            new("Status", "string", Description: "The aggregate status of the containers in this pod."),
            new("Restarts", "string", Description: "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
            Age, new("IP", "string", Priority: 1), new("Node", "string", Priority: 1),
            new("Nominated Node", "string", Priority: 1), new("Readiness Gates", "string", Priority: 1),
        ],
        "deployments" =>
        [
            Name, new("Ready", "string"), new("Up-to-date", "integer"), new("Available", "integer"), Age,
            new("Containers", "string", Priority: 1), new("Images", "string", Priority: 1), new("Selector", "string", Priority: 1),
        ],
        "replicasets" =>
        [
            Name, new("Desired", "integer"), new("Current", "integer"), new("Ready", "integer"), Age,
            new("Containers", "string", Priority: 1), new("Images", "string", Priority: 1), new("Selector", "string", Priority: 1),
        ],
        "statefulsets" => [Name, new("Ready", "string"), Age, new("Containers", "string", Priority: 1), new("Images", "string", Priority: 1)],
        "daemonsets" =>
        [
            Name, new("Desired", "integer"), new("Current", "integer"), new("Ready", "integer"), new("Up-to-date", "integer"),
            new("Available", "integer"), new("Node Selector", "string"), Age,
            new("Containers", "string", Priority: 1), new("Images", "string", Priority: 1), new("Selector", "string", Priority: 1),
        ],
        "services" =>
        [
            Name, new("Type", "string"), new("Cluster-IP", "string"), new("External-IP", "string"), new("Port(s)", "string"), Age,
            new("Selector", "string", Priority: 1),
        ],
        "namespaces" => [Name, new("Status", "string"), Age],
        "nodes" => [Name, new("Status", "string"), new("Roles", "string"), Age, new("Version", "string")],
        "configmaps" => [Name, new("Data", "string"), Age],
        "secrets" => [Name, new("Type", "string"), new("Data", "string"), Age],
        "serviceaccounts" => [Name, new("Secrets", "string"), Age],
        "endpoints" => [Name, new("Endpoints", "string"), Age],
        // upstream: printers.go AddHandlers eventColumnDefinitions (the server prints wide; kubectl hides priority 1)
        "events" =>
        [
            new("Last Seen", "string"), new("Type", "string"), new("Reason", "string"), new("Object", "string"),
            new("Subobject", "string", Priority: 1), new("Source", "string", Priority: 1), new("Message", "string"),
            new("First Seen", "string", Priority: 1), new("Count", "string", Priority: 1), new("Name", "string", Format: "name", Priority: 1),
        ],
        "opentelemetrycollectors" =>
        [
            Name, new("Mode", "string", Description: "Deployment Mode"), new("Version", "string", Description: "OpenTelemetry Version"),
            new("Ready", "string"), new("Age", "date"), new("Image", "string"), new("Management", "string", Description: "Management State"),
        ],
        "instrumentations" => [Name, new("Age", "date"), new("Endpoint", "string"), new("Sampler", "string"), new("Sampler Arg", "string")],
        // Argo CD's CRD lists its own columns and no Age (apiextensions: Age is the default only without additionalPrinterColumns).
        "applications" =>
        [
            Name, new("Sync Status", "string"), new("Health Status", "string"), new("Revision", "string", Priority: 10), new("Project", "string", Priority: 10),
        ],
        _ when kind.IsCustom => [Name, new("Age", "date")],
        _ => [Name, new("Created At", "date", Description: "CreationTimestamp is a timestamp representing the server time when this object was created.")],
    };

    /// <param name="includeObject"><c>Metadata</c> (default), <c>Object</c> or <c>None</c> (apiserver pkg/endpoints/handlers/response.go asTable).</param>
    public JsonObject Convert(ResourceKind kind, IEnumerable<StoredObject> objects, long resourceVersion, string? includeObject, bool withColumns = true)
    {
        var rows = new JsonArray();
        foreach (var o in objects)
        {
            var row = new JsonObject { ["cells"] = new JsonArray([.. Cells(o)]) };
            row["object"] = includeObject switch
            {
                "None" => null,
                "Object" => ObjectJson.Render(o, cluster),
                _ => new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = JsonNode.Parse(KubernetesJson.Serialize(o.Metadata)),
                },
            };
            rows.Add(row);
        }

        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) },
        };
        if (withColumns)
        {
            table["columnDefinitions"] = new JsonArray([.. Columns(kind).Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Format,
                ["description"] = c.Description,
                ["priority"] = c.Priority,
            })]);
        }

        table["rows"] = rows;
        return table;
    }

    private IEnumerable<JsonNode?> Cells(StoredObject o)
    {
        var age = Since(o.Metadata.CreationTimestamp);
        return o.Value switch
        {
            V1Pod p => PodCells(p, age),
            V1Deployment d =>
            [
                d.Metadata.Name, S($"{d.Status?.ReadyReplicas ?? 0}/{d.Spec?.Replicas ?? 1}"), d.Status?.UpdatedReplicas ?? 0,
                d.Status?.AvailableReplicas ?? 0, age, .. Template(d.Spec?.Template), Selector(d.Spec?.Selector),
            ],
            V1ReplicaSet r =>
            [
                r.Metadata.Name, r.Spec?.Replicas ?? 1, r.Status?.Replicas ?? 0, r.Status?.ReadyReplicas ?? 0, age,
                .. Template(r.Spec?.Template), Selector(r.Spec?.Selector),
            ],
            V1StatefulSet s => [s.Metadata.Name, S($"{s.Status?.ReadyReplicas ?? 0}/{s.Spec?.Replicas ?? 1}"), age, .. Template(s.Spec?.Template)],
            V1DaemonSet d =>
            [
                d.Metadata.Name, d.Status?.DesiredNumberScheduled ?? 0, d.Status?.CurrentNumberScheduled ?? 0, d.Status?.NumberReady ?? 0,
                d.Status?.UpdatedNumberScheduled ?? 0, d.Status?.NumberAvailable ?? 0, Labels(d.Spec?.Template?.Spec?.NodeSelector), age,
                .. Template(d.Spec?.Template), Selector(d.Spec?.Selector),
            ],
            V1Service s => ServiceCells(s, age),
            V1Namespace n => [n.Metadata.Name, n.Status?.Phase ?? "Active", age],
            V1Node n => NodeCells(n, age),
            V1ConfigMap c => [c.Metadata.Name, (c.Data?.Count ?? 0) + (c.BinaryData?.Count ?? 0), age],
            V1Secret s => [s.Metadata.Name, s.Type ?? "Opaque", (s.Data?.Count ?? 0) + (s.StringData?.Count ?? 0), age],
            V1ServiceAccount sa => [sa.Metadata.Name, sa.Secrets?.Count ?? 0, age],
            V1Endpoints e => [e.Metadata.Name, EndpointsText(e), age],
            Corev1Event e => EventCells(e),
            _ when o.Kind.IsCustom => CustomCells(o, age),
            _ => [o.Name, o.Metadata.CreationTimestamp is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : null],
        };
    }

    // upstream: printers.go printPod — Status is the phase, overridden by the pod's reason, a waiting/terminated
    // container's reason, and Terminating once a deletion timestamp is set.
    private static JsonNode?[] PodCells(V1Pod p, string age)
    {
        var total = p.Spec?.Containers?.Count ?? 0;
        var statuses = p.Status?.ContainerStatuses ?? [];
        var ready = statuses.Count(c => c.Ready);
        var restarts = statuses.Sum(c => c.RestartCount);
        var reason = string.IsNullOrEmpty(p.Status?.Reason) ? p.Status?.Phase ?? "Pending" : p.Status.Reason;
        foreach (var c in statuses.Reverse())
        {
            if (!string.IsNullOrEmpty(c.State?.Waiting?.Reason))
            {
                reason = c.State.Waiting.Reason;
            }
            else if (!string.IsNullOrEmpty(c.State?.Terminated?.Reason))
            {
                reason = c.State.Terminated.Reason;
            }
        }

        if (p.Metadata.DeletionTimestamp is not null)
        {
            reason = "Terminating";
        }

        return
        [
            p.Metadata.Name, S($"{ready}/{total}"), reason, S($"{restarts}"), age,
            p.Status?.PodIP ?? "<none>", p.Spec?.NodeName ?? "<none>", p.Status?.NominatedNodeName ?? "<none>", "<none>",
        ];
    }

    // upstream: printers.go printService — External-IP <none> for ClusterIP, ports as port[:nodePort]/protocol.
    // upstream: printers.go printEvent — first seen falls back to eventTime, last seen to first seen (or the series'
    // last observation), a singleton's count is 1, the object is kind/name in lower case.
    private JsonNode?[] EventCells(Corev1Event e)
    {
        var first = e.FirstTimestamp is null && e.EventTime is { } eventTime ? Since(eventTime) : Since(e.FirstTimestamp);
        var last = e.Series?.LastObservedTime is { } observed ? Since(observed) : e.LastTimestamp is null ? first : Since(e.LastTimestamp);
        var count = e.Series?.Count ?? (e.Count is null or 0 ? 1 : e.Count.Value);
        var target = string.IsNullOrEmpty(e.InvolvedObject?.Name)
            ? e.InvolvedObject?.Kind?.ToLowerInvariant() ?? string.Empty
            : $"{e.InvolvedObject.Kind?.ToLowerInvariant()}/{e.InvolvedObject.Name}";
        var component = string.IsNullOrEmpty(e.Source?.Component) ? e.ReportingComponent : e.Source.Component;
        var instance = string.IsNullOrEmpty(e.Source?.Host) ? e.ReportingInstance : e.Source.Host;
        var source = string.IsNullOrEmpty(component) ? string.Empty : string.IsNullOrEmpty(instance) ? component : $"{component}, {instance}";
        return [last, e.Type, e.Reason, target, e.InvolvedObject?.FieldPath, source, e.Message?.Trim(), first, (long)count, e.Metadata.Name];
    }

    private static JsonNode?[] ServiceCells(V1Service s, string age)
    {
        var type = s.Spec?.Type ?? "ClusterIP";
        var external = s.Spec?.ExternalIPs is { Count: > 0 } ips ? string.Join(",", ips) : type == "ExternalName" ? s.Spec?.ExternalName ?? "<none>" : "<none>";
        var ports = s.Spec?.Ports is { Count: > 0 } list
            ? string.Join(",", list.Select(p => p.NodePort is > 0 ? S($"{p.Port}:{p.NodePort}/{p.Protocol ?? "TCP"}") : S($"{p.Port}/{p.Protocol ?? "TCP"}")))
            : "<none>";
        return [s.Metadata.Name, type, s.Spec?.ClusterIP ?? "<none>", external, ports, age, Labels(s.Spec?.Selector)];
    }

    private static JsonNode?[] NodeCells(V1Node n, string age)
    {
        var ready = n.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status == "True" ? "Ready" : "NotReady";
        var roles = n.Metadata.Labels?.Keys.Where(k => k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal))
            .Select(k => k["node-role.kubernetes.io/".Length..]).ToList() ?? [];
        return [n.Metadata.Name, ready, roles.Count == 0 ? "<none>" : string.Join(",", roles), age, n.Status?.NodeInfo?.KubeletVersion ?? string.Empty];
    }

    private static string EndpointsText(V1Endpoints e)
    {
        var all = (e.Subsets ?? []).SelectMany(s => (s.Addresses ?? []).SelectMany(a => (s.Ports ?? []).Select(p => S($"{a.Ip}:{p.Port}")))).ToList();
        if (all.Count == 0)
        {
            return "<none>";
        }

        // upstream: printers.go formatEndpoints — at most 3, then " + N more...".
        return all.Count <= 3 ? string.Join(",", all) : S($"{string.Join(",", all.Take(3))} + {all.Count - 3} more...");
    }

    // upstream: tableconvertor.go — cells from each additionalPrinterColumn's JSONPath; date columns as an age; a
    // missing value is nil (kubectl prints <none>).
    private JsonNode?[] CustomCells(StoredObject o, string age)
    {
        var json = ObjectJson.Render(o, cluster);
        var paths = o.Kind.Resource switch
        {
            "opentelemetrycollectors" => new[] { ".spec.mode", ".status.version", ".status.scale.statusReplicas", ".metadata.creationTimestamp", ".status.image", ".spec.managementState" },
            "instrumentations" => [".metadata.creationTimestamp", ".spec.exporter.endpoint", ".spec.sampler.type", ".spec.sampler.argument"],
            "applications" => [".status.sync.status", ".status.health.status", ".status.sync.revision", ".spec.project"],
            _ => [".metadata.creationTimestamp"],
        };
        var cells = new List<JsonNode?> { o.Name };
        foreach (var path in paths)
        {
            cells.Add(path == ".metadata.creationTimestamp" ? age : Path(json, path)?.DeepClone());
        }

        return [.. cells];
    }

    private static JsonNode? Path(JsonNode? node, string path)
    {
        foreach (var key in path.TrimStart('.').Split('.'))
        {
            node = (node as JsonObject)?[key];
        }

        return node;
    }

    private static IEnumerable<JsonNode?> Template(V1PodTemplateSpec? template)
    {
        var containers = template?.Spec?.Containers ?? [];
        yield return string.Join(",", containers.Select(c => c.Name));
        yield return string.Join(",", containers.Select(c => c.Image));
    }

    private static string Selector(V1LabelSelector? selector) =>
        selector is null ? "<none>" : LabelSelector.From(selector).ToString() is { Length: > 0 } s ? s : "<none>";

    private static string Labels(IDictionary<string, string>? labels) =>
        labels is null || labels.Count == 0 ? "<none>" : string.Join(",", labels.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));

    private string Since(DateTime? created) =>
        created is null ? "<unknown>" : HumanDuration.Format(cluster.Time.GetUtcNow() - new DateTimeOffset(DateTime.SpecifyKind(created.Value, DateTimeKind.Utc)));

    private static string S(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
