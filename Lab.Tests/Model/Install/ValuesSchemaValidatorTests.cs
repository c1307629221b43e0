using System.Text.Json.Nodes;
using OtelLab.Model.Install;

namespace OtelLab.Tests.Model.Install;

/// <summary>
/// The operator chart 0.74.2's values.schema.json over its values.yaml merged with --set values, as helm install
/// validates them (helm pkg/chartutil/jsonschema.go), worded as gojsonschema words refusals.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ValuesSchemaValidatorTests
{
    private static readonly string[] GuideSets =
    [
        "manager.collectorImage.repository=otel/opentelemetry-collector-contrib",
        "admissionWebhooks.certManager.enabled=true",
        "manager.featureGates=operator.observability.prometheus",
        "targetAllocator.enabled=true",
    ];

    private static IReadOnlyList<ValuesSchemaError> Validate(params string[] sets)
    {
        var chart = ChartCatalog.OpenTelemetryOperator;
        var user = new JsonObject();
        foreach (var s in sets)
        {
            HelmStrvals.ParseInto(s, user);
        }

        return ValuesSchemaValidator.Validate(chart.Schema!, HelmValues.Coalesce(chart.DefaultValues, user));
    }

    [Fact]
    public void The_charts_defaults_validate() => Assert.Empty(Validate());

    [Fact]
    public void The_guides_four_values_fail_with_exactly_one_refusal_at_the_root()
    {
        var error = Assert.Single(Validate(GuideSets));

        Assert.Equal("(root): Additional property targetAllocator is not allowed", error.ToString());
        Assert.Equal(["targetAllocator"], error.Key);
        Assert.Equal("at '': additional properties 'targetAllocator' not allowed", ValuesSchemaValidator.Helm318Wording(error));
    }

    [Fact]
    public void Without_the_target_allocator_value_the_guides_values_validate() =>
        Assert.Empty(Validate(GuideSets[..3]));

    [Fact]
    public void The_feature_gate_map_takes_the_schemas_dotted_gate_names_not_the_values_comments_camel_case()
    {
        Assert.Empty(Validate(@"manager.featureGatesMap.operator\.collector\.targetallocatorcr=true"));

        var error = Assert.Single(Validate("manager.featureGatesMap.targetAllocatorCR=true"));
        Assert.Equal("manager.featureGatesMap: Additional property targetAllocatorCR is not allowed", error.ToString());
    }

    [Fact]
    public void A_wrong_type_is_refused_with_the_expected_and_given_types()
    {
        var error = Assert.Single(Validate("replicaCount=two"));

        Assert.Equal("replicaCount: Invalid type. Expected: integer, given: string", error.ToString());
    }

    [Fact]
    public void A_passing_one_of_is_not_reported_by_its_failed_branch() =>
        // pdb.minAvailable is oneOf string|null, integer|null: the default 1 passes the second branch
        Assert.Empty(Validate("pdb.minAvailable=2", "pdb.maxUnavailable=50%"));

    [Fact]
    public void A_null_from_set_removes_the_charts_default_before_validation()
    {
        // replicaCount is required: helm coalesce deletes a key set to null, so the schema sees it missing
        var error = Assert.Single(Validate("replicaCount=null"));

        Assert.Equal("(root): replicaCount is required", error.ToString());
        Assert.Equal(["replicaCount"], error.Key);
    }

    [Fact]
    public void A_value_matching_no_branch_of_a_one_of_is_refused_with_each_branchs_reason() =>
        Assert.Equal(
            "pdb.minAvailable: Invalid type. Expected: string, null, given: boolean|pdb.minAvailable: Invalid type. Expected: integer, null, given: boolean",
            string.Join('|', Validate("pdb.minAvailable=true").Select(e => e.ToString())));
}
