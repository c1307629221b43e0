using System.Text.Json.Nodes;
using OtelLab.Model.Crds;
using OtelLab.Sim.ApiServer.Internal.Admission;
using OtelLab.Sim.Cluster;

namespace OtelLab.Tests.Sim.ApiServer.Admission;

/// <summary>The operator's CRD schemas applied as the API server applies them: pruning, defaulting, validation messages.</summary>
[Trait("Category", "Unit")]
public sealed class StructuralSchemaTests
{
    private static readonly SimulatedCluster Cluster = new(new ClusterOptions { Nodes = 1 });

    private static StructuralSchema Collector(string version = "v1beta1") =>
        CustomResourceAdmission.SchemaFor(Cluster, new ResourceKind("OpenTelemetryCollector", "opentelemetry.io", version, "opentelemetrycollectors", true, typeof(OpenTelemetryCollector)))!;

    private static JsonObject Body(string spec) =>
        (JsonObject)JsonNode.Parse($$"""{"apiVersion":"opentelemetry.io/v1beta1","kind":"OpenTelemetryCollector","metadata":{"name":"c"},"spec":{{spec}}}""")!;

    private static StructuralSchema Defaulted(StructuralSchema schema, JsonObject body)
    {
        schema.Default(body);
        return schema;
    }

    private const string Config = """{"receivers":{"otlp":{}},"exporters":{"debug":{}},"service":{"pipelines":{"traces":{"receivers":["otlp"],"exporters":["debug"]}}}}""";

    [Fact]
    public void An_unknown_mode_is_an_unsupported_value_listing_the_enum_in_the_CRDs_order()
    {
        var body = Body($$"""{"mode":"statefullset","config":{{Config}}}""");
        var schema = Collector();
        schema.Default(body);

        var error = Assert.Single(schema.Validate(body));

        // upstream: field.NotSupported through kubeOpenAPIResultToFieldErrors (apiextensions validation.go)
        Assert.Equal("spec.mode: Unsupported value: \"statefullset\": supported values: \"daemonset\", \"deployment\", \"sidecar\", \"statefulset\"", error.Message);
        Assert.Equal(("FieldValueNotSupported", "spec.mode"), (error.Reason, error.Field));
    }

    [Fact]
    public void Unknown_fields_are_pruned_with_their_paths_but_the_free_form_config_keeps_everything()
    {
        var body = Body("""{"mode":"deployment","foo":1,"ports":[{"port":8080,"bar":true}],"config":{"receivers":{"otlp":{"anything":1}},"exporters":{"debug":{}},"service":{},"extra":{"x":1}}}""");

        var pruned = Collector().Prune(body);

        Assert.Equal(["spec.foo", "spec.ports[0].bar"], pruned);
        Assert.Null(body["spec"]!["foo"]);
        Assert.Equal(1, (int)body["spec"]!["config"]!["receivers"]!["otlp"]!["anything"]!);
        Assert.Equal(1, (int)body["spec"]!["config"]!["extra"]!["x"]!);
    }

    [Fact]
    public void A_wrong_type_is_reported_with_the_kube_openapi_text()
    {
        var body = Body($$"""{"mode":"deployment","replicas":"three","config":{{Config}}}""");

        var error = Assert.Single(Defaulted(Collector(), body).Validate(body));

        Assert.Equal("spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"", error.Message);
        Assert.Equal("FieldValueTypeInvalid", error.Reason);
    }

    [Fact]
    public void Required_fields_and_schema_defaults_apply_as_on_the_server()
    {
        var missing = Body("""{"mode":"deployment"}""");
        var defaulted = Body($$"""{"mode":"deployment","config":{{Config}}}""");
        var schema = Collector();

        schema.Default(missing);
        schema.Default(defaulted);
        var errors = schema.Validate(missing);

        Assert.Equal(["spec.config: Required value"], errors.Select(e => e.Message));
        Assert.Equal("managed", (string?)defaulted["spec"]!["managementState"]);
        Assert.Empty(schema.Validate(defaulted));
    }

    [Fact]
    public void Int_or_string_fields_take_both_and_refuse_a_boolean()
    {
        var ok = Body($$"""{"mode":"deployment","config":{{Config}},"ports":[{"port":8080,"targetPort":"http"},{"port":9090,"targetPort":9090}]}""");
        var bad = Body($$"""{"mode":"deployment","config":{{Config}},"ports":[{"port":8080,"targetPort":true}]}""");
        var schema = Collector();

        Assert.Empty(Defaulted(schema, ok).Validate(ok));
        Assert.Equal("spec.ports[0].targetPort", Assert.Single(Defaulted(schema, bad).Validate(bad)).Field);
    }

    [Fact]
    public void The_v1alpha1_schema_wants_config_as_a_string()
    {
        var body = Body($$"""{"mode":"deployment","managementState":"managed","config":{{Config}}}""");

        var error = Assert.Single(Collector("v1alpha1").Validate(body));

        Assert.Equal("spec.config: Invalid value: \"object\": spec.config in body must be of type string: \"object\"", error.Message);
    }

    [Fact]
    public void The_catalog_holds_the_charts_three_CRDs_and_the_target_allocator()
    {
        Assert.Equal(["opentelemetrycollectors.opentelemetry.io", "instrumentations.opentelemetry.io", "opampbridges.opentelemetry.io"],
            CrdCatalog.OperatorChart0742.Select(c => c.Metadata.Name));
        Assert.Equal(["v1alpha1", "v1beta1"], CrdCatalog.OperatorChart0742[0].Spec.Versions.Select(v => v.Name));
        Assert.Equal("targetallocators.opentelemetry.io", CrdCatalog.TargetAllocatorV0113.Metadata.Name);
        Assert.Equal(".status.scale.replicas", CrdCatalog.OperatorChart0742[0].Spec.Versions[1].Subresources.Scale.StatusReplicasPath);
    }
}
