using OtelLab.Model.Crds;
using OtelLab.Sim.Relabeling;
using OtelLab.Sim.TargetAllocation;
using OtelLab.Sim.TargetAllocation.Discovery;

namespace OtelLab.Tests.Sim.TargetAllocation.Discovery;

[Trait("Category", "Unit")]
public sealed class MonitorScrapeConfigsTests
{
    [Fact]
    public void Selector_match_expressions_select_services_as_kubernetes_label_selectors_do()
    {
        // Given a ServiceMonitor with tier In (api,web), env NotIn (dev), team Exists and legacy DoesNotExist
        var monitor = new PrometheusMonitor
        {
            Kind = "ServiceMonitor",
            Name = "sm",
            Namespace = "farm",
            SelectorExpressions =
            [
                new("tier", "In", ["api", "web"]),
                new("env", "NotIn", ["dev"]),
                new("team", "Exists", []),
                new("legacy", "DoesNotExist", []),
            ],
            Endpoints = [new MonitorEndpoint("metrics", null, "/metrics", "http", null, null, null)],
        };
        var config = Assert.Single(MonitorScrapeConfigs.For(monitor, TimeSpan.FromSeconds(30)));

        // When endpoints of services with various labels are discovered
        static LabelSet Target(string address, params (string Key, string Value)[] serviceLabels) => LabelSet.From(
            [
                new Label("__address__", address),
                new Label("__meta_kubernetes_endpoint_port_name", "metrics"),
                .. serviceLabels.SelectMany(l => new[]
                {
                    new Label("__meta_kubernetes_service_label_" + l.Key, l.Value),
                    new Label("__meta_kubernetes_service_labelpresent_" + l.Key, "true"),
                }),
            ]);
        var group = new TargetGroup(config.JobName,
        [
            Target("10.0.0.1:9100", ("tier", "api"), ("team", "a")),                       // kept
            Target("10.0.0.2:9100", ("tier", "web"), ("team", "a"), ("env", "prod")),      // kept
            Target("10.0.0.3:9100", ("tier", "db"), ("team", "a")),                        // tier not in (api, web)
            Target("10.0.0.4:9100", ("team", "a")),                                        // tier absent: In fails
            Target("10.0.0.5:9100", ("tier", "api"), ("team", "a"), ("env", "dev")),       // env in (dev)
            Target("10.0.0.6:9100", ("tier", "api")),                                      // team absent
            Target("10.0.0.7:9100", ("tier", "api"), ("team", "a"), ("legacy", "")),       // legacy present (empty value)
        ]);
        var kept = TargetAllocator.ProcessTargetGroups(new Dictionary<string, ScrapeConfig> { [config.JobName] = config }, [group]);

        // Then exactly the services a Kubernetes selector with these requirements matches are kept
        Assert.Equal(["10.0.0.1:9100", "10.0.0.2:9100"], kept.Select(k => k.TargetUrl).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_match_expression_with_an_unknown_operator_is_rejected_with_its_path()
    {
        var yaml = """
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata: {name: sm, namespace: farm}
            spec:
              selector:
                matchExpressions:
                  - {key: tier, operator: Equals, values: [api]}
              endpoints: [{port: metrics}]
            """;

        var set = OtelLab.Model.Manifests.ManifestLoader.LoadText("sm.yaml", yaml);

        var error = Assert.Single(set.Errors);
        Assert.Contains("spec.selector.matchExpressions[0].operator", error.Message, StringComparison.Ordinal);
    }
}
