using OtelLab.Lint;
using OtelLab.Lint.Upgrades;
using OtelLab.Model.Install;
using OtelLab.Model.Manifests;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Lint.Upgrades;

/// <summary><c>lint --upgrade-to</c>: the catalogued changes between two versions that a manifest actually hits, each with its changelog entry.</summary>
[Trait("Category", "Unit")]
public sealed class UpgradeCheckTests
{
    private static readonly string Old = Path.Combine(AppContext.BaseDirectory, "testdata", "upgrade", "collector-0.103.yaml");

    [Fact]
    public void An_image_bump_from_0_103_to_0_113_reports_each_breaking_change_at_its_line_with_the_changelog_entry()
    {
        var findings = UpgradeCheck.Run(Load(Old), new UpgradeTarget("collector", new Version(0, 113, 0)));

        var byRule = findings.ToLookup(f => f.RuleId);
        var logging = Assert.Single(byRule["upgrade-logging-exporter-removed"]);
        Assert.Equal(Severity.Error, logging.Severity);
        Assert.Equal(28, logging.Location.Line);
        Assert.Equal("OpenTelemetryCollector observability/old-gateway: otel/opentelemetry-collector-contrib:0.103.0 → 0.113.0: the logging exporter is removed (since 0.111.0)", logging.Message);
        Assert.Contains("changelog: open-telemetry/opentelemetry-collector CHANGELOG.md v0.111.0: `loggingexporter`: Removed the deprecated logging exporter.  Use the debug exporter instead. (#11037)", logging.Evidence);
        Assert.Equal([20, 21], byRule["upgrade-otlp-receiver-localhost-default"].Select(f => f.Location.Line));
        Assert.All(byRule["upgrade-otlp-receiver-localhost-default"], f => Assert.Equal(Severity.Error, f.Severity));
        Assert.Equal(31, Assert.Single(byRule["upgrade-bash-style-env-expansion"]).Location.Line);
        Assert.Empty(byRule["upgrade-sending-queue-blocking-removed"]); // removed in v0.129.0, past this bump
        Assert.Single(byRule["upgrade-ballast-extension-removed"]);
        Assert.Single(byRule["upgrade-memory-limiter-ignores-ballast"]);
        Assert.Equal(12, Assert.Single(byRule["upgrade-localhost-feature-gate-removed"]).Location.Line);
        // the metrics address is set explicitly: the v0.111.0 default change does not touch it
        Assert.Empty(byRule["upgrade-telemetry-metrics-localhost"]);
    }

    [Fact]
    public void Only_the_changes_between_the_two_versions_apply()
    {
        var to130 = UpgradeCheck.Run(Load(Old), new UpgradeTarget("collector", new Version(0, 130, 0)));
        Assert.Equal(33, Assert.Single(to130, f => f.RuleId == "upgrade-sending-queue-blocking-removed").Location.Line);

        var to110 = UpgradeCheck.Run(Load(Old), new UpgradeTarget("collector", new Version(0, 110, 0))).Select(f => f.RuleId).ToHashSet();
        var to104 = UpgradeCheck.Run(Load(Old), new UpgradeTarget("collector", new Version(0, 104, 0))).Select(f => f.RuleId).ToHashSet();

        Assert.DoesNotContain("upgrade-logging-exporter-removed", to110);
        Assert.Contains("upgrade-ballast-extension-removed", to110);
        Assert.Equal(["upgrade-bash-style-env-expansion", "upgrade-otlp-receiver-localhost-default"], to104.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_installed_operator_that_sets_0_0_0_0_turns_the_localhost_default_into_a_note_naming_its_entry()
    {
        var install = new InstallSpec
        {
            Releases = [new HelmRelease { Name = "opentelemetry-operator", Chart = "open-telemetry/opentelemetry-operator", Version = "0.74.2" }],
        };

        var otlp = UpgradeCheck.Run(Load(Old), new UpgradeTarget("collector", new Version(0, 113, 0)), install).Where(f => f.RuleId == "upgrade-otlp-receiver-localhost-default").ToList();

        Assert.Equal(2, otlp.Count);
        Assert.All(otlp, f => Assert.Equal(Severity.Note, f.Severity));
        Assert.Contains("mitigation: opentelemetry-operator 0.110.0: `operator`: Use 0.0.0.0 as otlp receiver default address (#3126)", otlp[0].Evidence);
    }

    [Fact]
    public void An_operator_upgrade_reports_the_v1alpha1_collector_with_the_crd_change()
    {
        var manifests = Load(Path.Combine(AppContext.BaseDirectory, "testdata", "upgrade", "collector-v1alpha1.yaml"));

        var finding = Assert.Single(UpgradeCheck.Run(manifests, new UpgradeTarget("operator", new Version(0, 99, 0))));
        var none = UpgradeCheck.Run(manifests, new UpgradeTarget("collector", new Version(0, 130, 0)));

        Assert.Equal(("upgrade-collector-crd-v1beta1", Severity.Warning, 1), (finding.RuleId, finding.Severity, finding.Location.Line));
        Assert.Contains(finding.Evidence, e => e.StartsWith("changelog: open-telemetry/opentelemetry-operator CHANGELOG.md 0.99.0:", StringComparison.Ordinal));
        Assert.Empty(none);
    }

    [Fact]
    public void Every_catalogue_entry_cites_a_changelog_and_has_a_detector_that_runs()
    {
        var entries = UpgradeCatalogue.Entries;
        var manifests = Load(Old);

        Assert.True(entries.Count >= 10);
        Assert.All(entries, e =>
        {
            Assert.Matches(@"^open-telemetry/opentelemetry-(collector|collector-contrib|operator)$", e.ChangelogRepo);
            Assert.Matches(@"\(#\d+", e.ChangelogEntry);
            Assert.Contains(e.Component, new[] { "collector", "operator" });
        });
        Assert.Equal(entries.Count, entries.Select(e => e.Id).Distinct().Count());
        // each detector runs (an unknown one throws) on a manifest of the oldest version up to the newest
        foreach (var component in new[] { "collector", "operator" })
        {
            _ = UpgradeCheck.Run(manifests, new UpgradeTarget(component, entries.Max(e => e.Version)!), catalogue: [.. entries.Where(e => e.Component == component).Select(e => e with { Version = new Version(0, 1) })]);
        }
    }

    [Fact]
    public void The_guides_contrib_collectors_moving_to_0_146_hit_the_contrib_changes_at_their_lines()
    {
        var guide = Load(Path.Combine(RepoPaths.Scenario("payments"), "manifests"));

        var findings = UpgradeCheck.Run(guide, new UpgradeTarget("collector", new Version(0, 146, 0)));
        var before = UpgradeCheck.Run(guide, new UpgradeTarget("collector", new Version(0, 141, 0))).Select(f => f.RuleId).ToHashSet();

        string At(string rule) => string.Join(",", findings.Where(f => f.RuleId == rule).Select(f => $"{Path.GetFileName(f.Location.File)}:{f.Location.Line}"));
        Assert.Equal("10-otel-agent.yaml:23", At("upgrade-k8sattributes-renamed"));
        Assert.Equal("10-otel-agent.yaml:32", At("upgrade-resourcedetection-errors-stop-start"));
        Assert.Equal("11-otel-prometheus.yaml:21", At("upgrade-prometheus-receiver-start-time-adjustment-removed"));
        Assert.Empty(At("upgrade-cumulativetodelta-max-staleness-default")); // the guide has no cumulativetodelta
        var renamed = Assert.Single(findings, f => f.RuleId == "upgrade-k8sattributes-renamed");
        Assert.Equal(Severity.Warning, renamed.Severity);
        Assert.Contains("changelog: open-telemetry/opentelemetry-collector-contrib CHANGELOG.md v0.146.0: `processor/k8s_attributes`: Rename `k8sattributes` processor to `k8s_attributes` processor and add deprecated alias `k8sattributes`. (#45894)", renamed.Evidence);
        Assert.Contains("otel/opentelemetry-collector-contrib:0.105.0 → 0.146.0", renamed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(before, r => r is "upgrade-k8sattributes-renamed" or "upgrade-resourcedetection-errors-stop-start" or "upgrade-prometheus-receiver-start-time-adjustment-removed");
    }

    [Fact]
    public void Cumulativetodelta_without_max_staleness_meets_the_new_default_and_one_that_sets_it_does_not()
    {
        var fixedGateway = Load(Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests"));
        var pinned = ManifestLoader.LoadText("pinned.yaml", """
            apiVersion: opentelemetry.io/v1beta1
            kind: OpenTelemetryCollector
            metadata: {name: gw, namespace: observability}
            spec:
              image: otel/opentelemetry-collector-contrib:0.105.0
              config:
                receivers: {otlp: {protocols: {grpc: {endpoint: 0.0.0.0:4317}}}}
                processors: {cumulativetodelta: {max_staleness: 24h}}
                exporters: {debug: {}}
                service: {pipelines: {metrics: {receivers: [otlp], processors: [cumulativetodelta], exporters: [debug]}}}
            """);

        var unset = UpgradeCheck.Run(fixedGateway, new UpgradeTarget("collector", new Version(0, 142, 0))).Where(f => f.RuleId == "upgrade-cumulativetodelta-max-staleness-default").ToList();
        var set = UpgradeCheck.Run(pinned, new UpgradeTarget("collector", new Version(0, 142, 0)));

        var finding = Assert.Single(unset);
        Assert.Equal(("12-otel-gateway.yaml", 48), (Path.GetFileName(finding.Location.File), finding.Location.Line));
        Assert.Contains("processors.cumulativetodelta sets no max_staleness: the default applies", finding.Evidence);
        Assert.DoesNotContain(set, f => f.RuleId == "upgrade-cumulativetodelta-max-staleness-default");
    }

    [Theory]
    [InlineData("0.113.0", "collector", "0.113.0")]
    [InlineData("v0.111.0", "collector", "0.111.0")]
    [InlineData("operator:0.110.0", "operator", "0.110.0")]
    public void Targets_parse(string text, string component, string version)
    {
        Assert.True(UpgradeTarget.TryParse(text, out var target, out _));
        Assert.Equal((component, Version.Parse(version)), (target!.Component, target.Version));
    }

    private static ManifestSet Load(string path)
    {
        var set = ManifestLoader.Load([path], recursive: false);
        Assert.Empty(set.Errors);
        return set;
    }
}
