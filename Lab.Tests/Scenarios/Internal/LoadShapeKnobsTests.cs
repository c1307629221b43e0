using k8s.Models;
using OtelLab.Load.Requests;
using OtelLab.Model.Manifests;
using OtelLab.Scenarios.Definition;
using OtelLab.Scenarios.Internal;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios.Internal;

/// <summary>The scenario's load.errorRatio / load.slowRatio as the front service's process env, the workloads left as written.</summary>
[Trait("Category", "Unit")]
public sealed class LoadShapeKnobsTests
{
    private static List<V1Pod> PaymentsFixedPods() =>
        [.. ManifestLoader.Load([Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests")], recursive: true)
            .Typed<V1Deployment>()
            .Select(d => new V1Pod { Metadata = d.Model.Spec.Template.Metadata, Spec = d.Model.Spec.Template.Spec })];

    [Fact]
    public void The_scenarios_ratios_reach_the_front_services_first_container_only()
    {
        // Given payments-fixed's workloads and its scenario's load (5% errors, 5% slow, checkout in front)
        var load = ScenarioLoader.Load(RepoPaths.Scenario("payments-fixed")).Load;
        var pods = PaymentsFixedPods();

        // When the lab asks for each container's knobs
        var knobs = pods.SelectMany(p => p.Spec.Containers.Select(c => (App: p.Metadata.Labels["app"], c.Name, Env: LoadShapeKnobs.For(load, p, c).ToDictionary())))
            .Where(k => k.Env.Count > 0).ToList();

        // Then only checkout's first container gets ERROR_RATIO/SLOW_RATIO from the scenario
        var checkout = Assert.Single(knobs);
        Assert.Equal("checkout", checkout.App);
        Assert.Equal(("0.05", "0.05"), (checkout.Env[SampleServiceKnobs.ErrorRatio], checkout.Env[SampleServiceKnobs.SlowRatio]));
        Assert.True(pods.Count >= 3);
    }

    [Fact]
    public void A_load_without_errors_or_slow_requests_adds_nothing()
    {
        var load = new LoadSpec { RatePerSecond = 5, Services = ["checkout"] };

        Assert.All(PaymentsFixedPods(), p => Assert.Empty(LoadShapeKnobs.For(load, p, p.Spec.Containers[0])));
    }
}
