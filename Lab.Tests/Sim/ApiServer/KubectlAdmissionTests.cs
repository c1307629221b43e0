using OtelLab.Tests.Support;
using OtelLab.Model.Crds;

namespace OtelLab.Tests.Sim.ApiServer;

/// <summary>The real kubectl against the CRDs' schema admission: wrong CRs refused with the API server's messages.</summary>
[Trait("Category", "Lab")]
public sealed class KubectlAdmissionTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(27)]
    [InlineData(32)]
    public async Task A_collector_with_an_unknown_mode_is_refused_as_invalid(int minor)
    {
        var file = await WriteAsync($"bad-mode-{minor}", "mode: statefullset");

        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Version(minor), "apply", "-f", file);

        // kubectl pkg/cmd/util/helpers.go StandardErrorMessage: "The <details.kind> "<name>" is invalid: <field>: <message>"
        Assert.True(code == 1, stdout + stderr);
        Assert.Equal($"The OpenTelemetryCollector \"bad-mode-{minor}\" is invalid: spec.mode: Unsupported value: \"statefullset\": supported values: \"daemonset\", \"deployment\", \"sidecar\", \"statefulset\"", stderr.Trim());
        Assert.Null(fixture.Cluster.Get(OtelLab.Sim.Cluster.ResourceKind.Of("OpenTelemetryCollector"), "default", $"bad-mode-{minor}"));
    }

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(27)]
    [InlineData(32)]
    public async Task An_unknown_field_is_a_strict_decoding_error(int minor)
    {
        var file = await WriteAsync($"unknown-{minor}", "mode: deployment\n  foo: bar");

        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Version(minor), "apply", "-f", file);

        Assert.True(code == 1, stdout + stderr);
        Assert.Equal($"Error from server (BadRequest): error when creating \"{file}\": OpenTelemetryCollector in version \"v1beta1\" cannot be handled as a OpenTelemetryCollector: strict decoding error: unknown field \"spec.foo\"", stderr.Trim());
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task With_validate_warn_the_unknown_field_is_dropped_with_a_warning()
    {
        var file = await WriteAsync("warned", "mode: deployment\n  foo: bar");

        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Default, "apply", "--validate=warn", "-f", file);
        var live = await Kubectl.RunAsync(fixture, Kubectl.Default, "get", "otelcol", "warned", "-o", "jsonpath={.spec.mode}/{.spec.foo}/{.spec.managementState}");

        Assert.True(code == 0, stderr);
        Assert.Equal("Warning: unknown field \"spec.foo\"", stderr.Trim());
        Assert.Equal("opentelemetrycollector.opentelemetry.io/warned created", stdout.Trim());
        Assert.Equal("deployment//managed", live.Out);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Kubectl_get_crd_lists_the_installed_definitions()
    {
        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Default, "get", "crd");

        Assert.True(code == 0, stderr);
        var names = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(' ')[0]).ToList();
        Assert.Equal(CrdCatalog.LabDefault.Select(c => c.Metadata.Name).Order(StringComparer.Ordinal), names);
        Assert.StartsWith("NAME", stdout, StringComparison.Ordinal);
        Assert.Contains("CREATED AT", stdout.Split('\n')[0], StringComparison.Ordinal);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Kubectl_explain_reads_the_CRD_schema_from_the_OpenAPI_v3_document()
    {
        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Default, "explain", "opentelemetrycollector.spec.mode");

        Assert.True(code == 0, stderr);
        Assert.Contains("KIND:       OpenTelemetryCollector", stdout, StringComparison.Ordinal);
        Assert.Contains("FIELD: mode <string>", stdout, StringComparison.Ordinal);
        Assert.Equal(["daemonset", "deployment", "sidecar", "statefulset"],
            stdout.Split("ENUM:")[1].Split("DESCRIPTION:")[0].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private async Task<string> WriteAsync(string name, string specLines)
    {
        var file = Path.Combine(fixture.TempPath, $"{name}.yaml");
        await File.WriteAllTextAsync(file, $$"""
            apiVersion: opentelemetry.io/v1beta1
            kind: OpenTelemetryCollector
            metadata:
              name: {{name}}
              namespace: default
            spec:
              {{specLines}}
              config:
                receivers:
                  otlp:
                    protocols:
                      grpc: {}
                exporters:
                  debug: {}
                service:
                  pipelines:
                    traces:
                      receivers: [otlp]
                      exporters: [debug]
            """, TestContext.Current.CancellationToken);
        return file;
    }
}
