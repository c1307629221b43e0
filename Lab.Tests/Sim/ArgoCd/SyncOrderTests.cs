using System.Text.Json.Nodes;
using OtelLab.Sim.ArgoCd;

namespace OtelLab.Tests.Sim.ArgoCd;

[Trait("Category", "Unit")]
public sealed class SyncOrderTests
{
    private static TargetObject Obj(string apiVersion, string kind, string name, string? ns = "observability", int? wave = null, JsonObject? spec = null)
    {
        var meta = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            meta["namespace"] = ns;
        }

        if (wave is { } w)
        {
            meta["annotations"] = new JsonObject { [SyncOrder.WaveAnnotation] = w.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        }

        var o = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = meta };
        if (spec is not null)
        {
            o["spec"] = spec;
        }

        return new TargetObject(o, "x.yaml:1");
    }

    [Fact]
    public void Kinds_sort_by_gitops_engine_kindOrder_and_custom_resources_come_last()
    {
        var sorted = SyncOrder.Sort(
        [
            Obj("opentelemetry.io/v1beta1", "OpenTelemetryCollector", "otel-gateway"),
            Obj("apps/v1", "Deployment", "checkout"),
            Obj("v1", "Service", "checkout"),
            Obj("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "b", ns: null),
            Obj("rbac.authorization.k8s.io/v1", "ClusterRole", "r", ns: null),
            Obj("v1", "ConfigMap", "c"),
            Obj("v1", "Secret", "s"),
            Obj("v1", "ServiceAccount", "sa"),
            Obj("networking.k8s.io/v1", "NetworkPolicy", "np"),
        ]);

        // upstream: gitops-engine pkg/sync/sync_tasks.go kindOrder (Namespace, NetworkPolicy, ResourceQuota, …)
        Assert.Equal(["NetworkPolicy", "ServiceAccount", "Secret", "ConfigMap", "ClusterRole", "ClusterRoleBinding", "Service", "Deployment", "OpenTelemetryCollector"],
            sorted.Select(t => t.Object.Kind));
        Assert.Equal(-35, SyncOrder.KindRank("Namespace"));
        Assert.Equal(-1, SyncOrder.KindRank("APIService"));
        Assert.Equal(0, SyncOrder.KindRank("OpenTelemetryCollector"));
    }

    [Fact]
    public void Waves_come_before_kinds_and_names_break_ties()
    {
        var sorted = SyncOrder.Sort(
        [
            Obj("v1", "ConfigMap", "late", wave: 5),
            Obj("opentelemetry.io/v1beta1", "OpenTelemetryCollector", "b", wave: -1),
            Obj("opentelemetry.io/v1beta1", "OpenTelemetryCollector", "a", wave: -1),
            Obj("v1", "ConfigMap", "plain"),
        ]);

        Assert.Equal(["a", "b", "plain", "late"], sorted.Select(t => t.Object.Name));
        Assert.Equal([-1, -1, 0, 5], sorted.Select(t => t.Wave));
    }

    [Fact]
    public void A_namespace_and_a_crd_move_before_their_dependants_taking_their_wave()
    {
        var crd = Obj("apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.example.com", ns: null, wave: 3,
            spec: new JsonObject { ["group"] = "example.com", ["names"] = new JsonObject { ["kind"] = "Widget" } });
        var sorted = SyncOrder.Sort(
        [
            Obj("example.com/v1", "Widget", "w", wave: -2),
            crd,
            Obj("v1", "Namespace", "observability", ns: null, wave: 1),
            Obj("v1", "ConfigMap", "c", wave: -3),
        ]);

        // upstream: sync_tasks.go Sort → adjustDeps ("make sure CRDs are created before CRs")
        Assert.Equal(["Namespace", "ConfigMap", "CustomResourceDefinition", "Widget"], sorted.Select(t => t.Object.Kind));
        Assert.Equal([-3, -3, -2, -2], sorted.Select(t => t.Wave));
    }
}
