using k8s.Models;
using OtelLab.Model.Collector;
using OtelLab.Model.Crds;
using OtelLab.Model.Manifests;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Model;

[Trait("Category", "Unit")]
public sealed class ManifestLoaderTests
{
    [Fact]
    public void Loads_core_kinds_as_KubernetesClient_models_with_positions()
    {
        // Given two documents after a comment
        const string yaml = """
            # comment
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: sa
              namespace: obs
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata:
              name: b
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}
            subjects:
              - kind: ServiceAccount
                name: sa
                namespace: obs
            """;

        // When
        var set = ManifestLoader.LoadText("m.yaml", yaml);

        // Then
        Assert.Empty(set.Errors);
        Assert.Equal(2, set.Objects.Count);
        var sa = Assert.IsType<V1ServiceAccount>(set.Objects[0].Typed);
        Assert.Equal("sa", sa.Metadata.Name);
        Assert.Equal("obs", set.Objects[0].Namespace);
        Assert.Equal(2, set.Objects[0].Location.Line);
        var crb = Assert.IsType<V1ClusterRoleBinding>(set.Objects[1].Typed);
        Assert.Equal("r", crb.RoleRef.Name);
        Assert.Null(set.Objects[1].Namespace);
        Assert.Equal(8, set.Objects[1].Location.Line);
    }

    [Fact]
    public void Reads_a_v1beta1_collector_config_into_components_and_pipelines_with_positions()
    {
        // Given
        const string yaml = """
            apiVersion: opentelemetry.io/v1beta1
            kind: OpenTelemetryCollector
            metadata: {name: gw, namespace: obs}
            spec:
              mode: statefulset
              replicas: 3
              config:
                receivers:
                  otlp: {protocols: {grpc: {}}}
                processors:
                  batch: {}
                exporters:
                  otlp/gateway: {endpoint: "x:4317"}
                  debug:
                service:
                  pipelines:
                    traces:
                      receivers: [otlp]
                      processors: [batch]
                      exporters: [otlp/gateway, debug]
            """;

        // When
        var set = ManifestLoader.LoadText("c.yaml", yaml);

        // Then
        Assert.Empty(set.Errors);
        var c = Assert.IsType<OpenTelemetryCollector>(Assert.Single(set.Objects).Typed);
        Assert.Equal(CollectorMode.StatefulSet, c.Mode);
        Assert.Equal(3, c.Replicas);
        Assert.Equal("gw-collector", c.EffectiveServiceAccount);
        var gateway = c.Config.Exporters[new ComponentId("otlp", "gateway")];
        Assert.Equal(13, gateway.Location.Line);
        Assert.Null(c.Config.Exporters[new ComponentId("debug", null)].Settings);
        var pipeline = Assert.Single(c.Config.Pipelines);
        Assert.Equal("traces", pipeline.Signal);
        Assert.Equal(["otlp/gateway", "debug"], pipeline.Exporters.Select(e => e.Id.ToString()));
        Assert.Equal(20, pipeline.Exporters[0].Location.Line);
    }

    [Fact]
    public void Maps_positions_inside_a_v1alpha1_string_config_back_to_the_file()
    {
        // Given a v1alpha1 CR whose config is a YAML string naming an undefined processor on its 8th line
        const string yaml = """
            apiVersion: opentelemetry.io/v1alpha1
            kind: OpenTelemetryCollector
            metadata: {name: old, namespace: obs}
            spec:
              config: |
                receivers:
                  otlp:
                    protocols: {grpc: {}}
                exporters:
                  debug: {}
                service:
                  pipelines:
                    traces: {receivers: [otlp], processors: [batch], exporters: [debug]}
            """;

        // When
        var set = ManifestLoader.LoadText("old.yaml", yaml);

        // Then the error points at line 13 (file), column of "batch"
        var error = Assert.Single(set.Errors);
        Assert.Equal(13, error.Location.Line);
        Assert.Equal(50, error.Location.Column);
        Assert.Contains("service::pipelines::traces: references processor \"batch\" which is not configured", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_the_v1alpha1_string_config_when_valid()
    {
        const string yaml = """
            apiVersion: opentelemetry.io/v1alpha1
            kind: OpenTelemetryCollector
            metadata: {name: old, namespace: obs}
            spec:
              config: |
                receivers:
                  otlp: {}
                exporters:
                  debug: {}
                service:
                  pipelines:
                    metrics: {receivers: [otlp], exporters: [debug]}
            """;

        var set = ManifestLoader.LoadText("old.yaml", yaml);

        Assert.Empty(set.Errors);
        var c = Assert.IsType<OpenTelemetryCollector>(Assert.Single(set.Objects).Typed);
        Assert.Equal("opentelemetry.io/v1alpha1", c.ApiVersion);
        Assert.Equal(7, c.Config.Receivers.Single().Value.Location.Line);
        Assert.Equal(CollectorMode.Deployment, c.Mode); // webhook default
    }

    [Fact]
    public void Rejects_an_invalid_mode_listing_the_allowed_values()
    {
        const string yaml = """
            apiVersion: opentelemetry.io/v1beta1
            kind: OpenTelemetryCollector
            metadata: {name: p, namespace: obs}
            spec:
              mode: statefullset
              config: {receivers: {otlp: {}}, exporters: {debug: {}}, service: {pipelines: {traces: {receivers: [otlp], exporters: [debug]}}}}
            """;

        var error = Assert.Single(ManifestLoader.LoadText("p.yaml", yaml).Errors);

        Assert.Equal(new OtelLab.Model.SourceLocation("p.yaml", 5, 9), error.Location);
        Assert.Equal("spec.mode: Unsupported value: \"statefullset\": supported values: \"daemonset\", \"deployment\", \"sidecar\", \"statefulset\"", error.Message);
        Assert.Equal("did you mean \"statefulset\"?", error.Hint);
    }

    [Fact]
    public void Reports_broken_yaml_with_line_and_column()
    {
        const string yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: [unclosed\n";

        var error = Assert.Single(ManifestLoader.LoadText("broken.yaml", yaml).Errors);

        Assert.Equal("broken.yaml", error.Location.File);
        Assert.Equal(5, error.Location.Line);
        Assert.StartsWith("invalid YAML:", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Hint);
    }

    [Fact]
    public void Reports_a_wrong_field_type_in_a_core_kind_at_the_value()
    {
        const string yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d}
            spec:
              replicas: three
            """;

        var error = Assert.Single(ManifestLoader.LoadText("d.yaml", yaml).Errors);

        Assert.Equal(5, error.Location.Line);
        Assert.Equal(13, error.Location.Column);
        Assert.Contains("\"three\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_a_wrong_field_type_in_a_CR()
    {
        const string yaml = """
            apiVersion: opentelemetry.io/v1beta1
            kind: OpenTelemetryCollector
            metadata: {name: p}
            spec:
              replicas: [1]
              config: {receivers: {otlp: {}}, exporters: {debug: {}}, service: {pipelines: {traces: {receivers: [otlp], exporters: [debug]}}}}
            """;

        var error = Assert.Single(ManifestLoader.LoadText("p.yaml", yaml).Errors);

        Assert.Equal(5, error.Location.Line);
        Assert.Equal("spec.replicas: expected an integer, found a list", error.Message);
    }

    [Fact]
    public void Reports_an_unknown_field_strictly_like_kubectl()
    {
        const string yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d}
            spec:
              replicaz: 2
            """;

        var error = Assert.Single(ManifestLoader.LoadText("d.yaml", yaml).Errors);

        Assert.Equal(5, error.Location.Line);
        Assert.Contains("unknown field \"replicaz\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_missing_apiVersion_and_kind_like_kubectl()
    {
        var error = Assert.Single(ManifestLoader.LoadText("x.yaml", "metadata: {name: x}\n").Errors);

        Assert.Equal("error validating data: [apiVersion not set, kind not set]", error.Message);
        Assert.Equal(1, error.Location.Line);
    }

    [Fact]
    public void Reports_a_kind_in_an_unserved_version()
    {
        var error = Assert.Single(ManifestLoader.LoadText("x.yaml", "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: x}\n").Errors);

        Assert.Equal("no matches for kind \"Deployment\" in version \"extensions/v1beta1\"", error.Message);
        Assert.Equal("use apiVersion: apps/v1", error.Hint);
    }

    [Fact]
    public void Keeps_unknown_kinds_as_generic_objects_and_skips_empty_documents()
    {
        const string yaml = """
            ---
            ---
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: w, namespace: ns1}
            spec: {size: 3}
            ---
            """;

        var set = ManifestLoader.LoadText("w.yaml", yaml);

        Assert.Empty(set.Errors);
        var w = Assert.Single(set.Objects);
        Assert.Null(w.Typed);
        Assert.Equal("Widget", w.Kind);
        Assert.Equal("ns1", w.Namespace);
        Assert.Equal(6, w.LocationOf("spec", "size").Line);
    }

    [Fact]
    public void Defaults_the_namespace_of_namespaced_objects_only()
    {
        var set = ManifestLoader.LoadText("n.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n", "team");

        Assert.Equal("team", set.Objects[0].Namespace);
        Assert.Null(set.Objects[1].Namespace);
    }

    [Fact]
    public void Loads_folders_like_kubectl_with_and_without_recursion()
    {
        // Given a folder with a manifest at the top, one in a sub-folder, a JSON manifest and a non-manifest file
        using var dir = new TempDirectory();
        dir.Write("a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
        dir.Write("b.json", "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"b\"}}");
        dir.Write("notes.txt", "not a manifest");
        dir.Write("sub/c.yml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");

        // When
        var flat = ManifestLoader.Load([dir.Path]);
        var deep = ManifestLoader.Load([dir.Path], recursive: true);

        // Then
        Assert.Equal(["a", "b"], flat.Objects.Select(o => o.Name));
        Assert.Equal(["a", "b", "c"], deep.Objects.Select(o => o.Name).Order());
        Assert.Empty(deep.Errors);
    }

    [Fact]
    public void Reports_a_missing_path()
    {
        var error = Assert.Single(ManifestLoader.Load(["/nonexistent/otel-lab"]).Errors);

        Assert.Equal("no such file or folder", error.Message);
    }

    [Fact]
    public void Loads_the_bundled_payments_scenario_without_errors()
    {
        var set = ManifestLoader.Load([Path.Combine(RepoPaths.Scenario("payments"), "manifests")]);

        Assert.Empty(set.Errors);
        Assert.Equal(3, set.Collectors.Count());
        Assert.Single(set.Typed<Instrumentation>());
        Assert.Single(set.Typed<ArgoApplication>());
        Assert.Single(set.Typed<PrometheusMonitor>());
        var gateway = set.Collectors.Single(c => c.Model.Name == "otel-gateway").Model;
        Assert.Equal(["DD_API_KEY", "DT_API_TOKEN", "DT_ENV_URL"], gateway.Config.References.Where(r => r.Scheme == "env").Select(r => r.Value).Order());
        var prometheus = set.Collectors.Single(c => c.Model.Name == "otel-prometheus").Model;
        Assert.True(prometheus.TargetAllocator.Enabled);
        Assert.True(prometheus.TargetAllocator.PrometheusCR.Enabled);
        Assert.Equal(AllocationStrategy.ConsistentHashing, prometheus.TargetAllocator.AllocationStrategy);
    }

    [Fact]
    public void Reports_a_pipeline_written_as_a_list_at_its_position()
    {
        const string yaml = """
            apiVersion: opentelemetry.io/v1beta1
            kind: OpenTelemetryCollector
            metadata: {name: p}
            spec:
              config:
                receivers: {otlp: {}}
                exporters: {debug: {}}
                service:
                  pipelines:
                    traces: [otlp, debug]
            """;

        var error = Assert.Single(ManifestLoader.LoadText("p.yaml", yaml).Errors);

        Assert.Equal(10, error.Location.Line);
        Assert.Equal("service.pipelines.traces: expected a mapping with receivers, processors and exporters, found a list", error.Message);
    }
}
