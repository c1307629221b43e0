using OtelLab.Model;
using OtelLab.Scenarios.Definition;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios.Definition;

/// <summary><c>install.releases</c> in scenario.yaml: Helm's words, the guide's step 1 as written, bad input at its line.</summary>
[Trait("Category", "Unit")]
public sealed class InstallDeclarationTests
{
    [Fact]
    public void Payments_declares_the_guides_step_1_as_written()
    {
        var install = ScenarioLoader.Load(RepoPaths.Scenario("payments")).Install;

        Assert.Equal(["cert-manager", "opentelemetry-operator", "vault"], install.Releases.Select(r => r.Name));
        var op = install.Releases[1];
        Assert.Equal(("open-telemetry/opentelemetry-operator", "0.74.2", "opentelemetry-operator-system", true), (op.Chart, op.Version, op.Namespace, op.CreateNamespace));
        Assert.Equal(
        [
            "manager.collectorImage.repository=otel/opentelemetry-collector-contrib",
            "admissionWebhooks.certManager.enabled=true",
            "manager.featureGates=operator.observability.prometheus",
            "targetAllocator.enabled=true",
        ], op.Set.Select(s => s.Expression));
        Assert.EndsWith("scenario.yaml", op.Set[3].Location.File, StringComparison.Ordinal);
        Assert.Equal(["crds.enabled=true"], install.Releases[0].Set.Select(s => s.Expression));
        Assert.Equal("v1.15.3", install.Releases[0].Version);
    }

    [Theory]
    [InlineData("install: { releses: [] }", 3, "install.releses: unknown key")]
    [InlineData("install:\n  releases:\n    - { name: op, chart: c/op, version: 1, sets: [a=1] }", 5, "install.releases[0].sets: unknown key")]
    [InlineData("install:\n  releases:\n    - { name: op, chart: c/op }", 5, "install.releases[0]: version: is missing")]
    [InlineData("install:\n  releases:\n    - name: op\n      chart: c/op\n      version: 1\n      set:\n        - a.b\n", 9, "install.releases[0].set: a.b: key \"b\" has no value")]
    [InlineData("install:\n  releases:\n    - { name: op, chart: c/op, version: 1, values: missing.yaml }", 5, "install.releases[0].values: missing.yaml does not exist")]
    [InlineData("install:\n  releases:\n    - { name: op, chart: c/op, version: 1 }\n    - { name: op, chart: c/x, version: 2 }", 6, "install.releases[1].name: release op is declared twice")]
    public void Bad_install_input_fails_at_its_line_with_a_fix(string install, int line, string message)
    {
        var e = Assert.Throws<ManifestException>(() => ScenarioLoader.Parse("scenario.yaml", $"name: x\nmanifests: m\n{install}\n"));

        Assert.Equal(("scenario.yaml", line), (e.Location.File, e.Location.Line));
        Assert.Equal(message, e.Message);
        Assert.False(string.IsNullOrEmpty(e.Hint));
    }
}
