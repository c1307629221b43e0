using System.Text.Json.Nodes;
using OtelLab.Sim.ApiServer.Internal;
using OtelLab.Sim.ApiServer.Internal.Apply;

namespace OtelLab.Tests.Sim.ApiServer.Apply;

/// <summary>Field ownership without a server: FieldsV1 form, keyed list paths, conflict messages.</summary>
[Trait("Category", "Unit")]
public sealed class ServerSideApplyTests
{
    private const string Now = "2026-01-01T00:00:00Z";

    private static JsonObject Deployment(string image, int replicas) => (JsonObject)JsonNode.Parse("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","labels":{"app":"d"}},
         "spec":{"replicas":REPLICAS,"template":{"spec":{"containers":[{"name":"c","image":"IMAGE"}]}}}}
        """.Replace("REPLICAS", replicas.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal).Replace("IMAGE", image, StringComparison.Ordinal))!;

    [Fact]
    public void An_applied_deployment_owns_its_containers_by_name_in_FieldsV1_form()
    {
        var result = ServerSideApply.Apply(new JsonObject { ["metadata"] = new JsonObject() }, Deployment("nginx:1", 1), "kubectl", force: false, "apps/v1", Now);

        var entry = result["metadata"]!["managedFields"]![0]!;
        Assert.Equal("kubectl", (string?)entry["manager"]);
        Assert.Equal("Apply", (string?)entry["operation"]);
        Assert.Equal(
            """{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:image":{},"f:name":{}}}}}}}""",
            GoJson.Serialize(entry["fieldsV1"]!));
    }

    [Fact]
    public void Changing_fields_an_updater_owns_lists_every_conflict_by_manager()
    {
        var live = Deployment("nginx:1", 1);
        ServerSideApply.Update(null, live, "kubectl-client-side-apply", "apps/v1", Now);

        var e = Assert.Throws<StatusException>(() => ServerSideApply.Apply(live, Deployment("nginx:2", 3), "kubectl", force: false, "apps/v1", Now));

        Assert.Equal(409, (int)e.Status["code"]!);
        Assert.Equal(
            "Apply failed with 2 conflicts: conflicts with \"kubectl-client-side-apply\" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name=\"c\"].image",
            (string?)e.Status["message"]);
        Assert.Equal(["FieldManagerConflict", "FieldManagerConflict"], e.Status["details"]!["causes"]!.AsArray().Select(c => (string?)c!["reason"]));
    }

    [Fact]
    public void Applying_the_same_values_shares_ownership_without_a_conflict()
    {
        var live = Deployment("nginx:1", 1);
        ServerSideApply.Update(null, live, "kubectl-create", "apps/v1", Now);

        var result = ServerSideApply.Apply(live, Deployment("nginx:1", 1), "kubectl", force: false, "apps/v1", Now);

        Assert.Equal(["kubectl-create", "kubectl"], result["metadata"]!["managedFields"]!.AsArray().Select(m => (string?)m!["manager"]));
    }
}
