using k8s.Models;
using OtelLab.Load.Requests;
using OtelLab.Model.Manifests;
using OtelLab.Scenarios.Definition;
using OtelLab.Scenarios.Internal;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios.Internal;

/// <summary>What SimLab applies: the scenario's load.errorRatio / load.slowRatio as the front service's knobs.</summary>
[Trait("Category", "Unit")]
public sealed class LoadShapeKnobsTests
{
    private static ManifestSet PaymentsFixed() => ManifestLoader.Load([Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests")], recursive: true);

    private static Dictionary<string, string> Env(ManifestSet set, string name) =>
        set.Typed<V1Deployment>().Single(d => d.Model.Metadata.Name == name).Model.Spec.Template.Spec.Containers[0].Env?
            .ToDictionary(e => e.Name, e => e.Value) ?? [];

    [Fact]
    public void The_scenarios_ratios_reach_the_front_deployment_only_and_the_loaded_manifests_stay_as_written()
    {
        // Given payments-fixed's manifests and its scenario's load (5% errors, 5% slow, checkout in front)
        var manifests = PaymentsFixed();
        var load = ScenarioLoader.Load(RepoPaths.Scenario("payments-fixed")).Load;

        // When the lab shapes them
        var shaped = LoadShapeKnobs.Apply(manifests, load, out var changed);

        // Then checkout carries ERROR_RATIO/SLOW_RATIO from the scenario, payments and ledger do not, and the input is untouched
        Assert.Equal(["Deployment payments/checkout"], changed);
        var checkout = Env(shaped, "checkout");
        Assert.Equal(("0.05", "0.05"), (checkout[SampleServiceKnobs.ErrorRatio], checkout[SampleServiceKnobs.SlowRatio]));
        Assert.DoesNotContain(SampleServiceKnobs.ErrorRatio, Env(shaped, "payments").Keys);
        Assert.DoesNotContain(SampleServiceKnobs.ErrorRatio, Env(shaped, "ledger").Keys);
        Assert.DoesNotContain(SampleServiceKnobs.ErrorRatio, Env(manifests, "checkout").Keys);
        Assert.Equal(manifests.Objects.Count, shaped.Objects.Count);
    }

    [Fact]
    public void A_load_without_errors_or_slow_requests_leaves_the_manifests_as_they_are()
    {
        var manifests = PaymentsFixed();

        var shaped = LoadShapeKnobs.Apply(manifests, new LoadSpec { RatePerSecond = 5, Services = ["checkout"] }, out var changed);

        Assert.Same(manifests, shaped);
        Assert.Empty(changed);
    }
}
