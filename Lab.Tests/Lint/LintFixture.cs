using OtelLab.Lint;
using OtelLab.Model.Manifests;

namespace OtelLab.Tests.Lint;

/// <summary>Builds small deployments as YAML and runs one rule over them.</summary>
internal static class LintFixture
{
    public static IReadOnlyList<Finding> Run(LintRule rule, params string[] documents)
    {
        var set = ManifestLoader.LoadText("fixture.yaml", string.Join("\n---\n", documents));
        Assert.Empty(set.Errors);
        return Linter.Run(set, [rule]);
    }

    public static string Collector(
        string name = "gw",
        string mode = "deployment",
        int? replicas = null,
        string image = "otel/opentelemetry-collector-contrib:0.105.0",
        string? serviceAccount = null,
        string config = DefaultConfig,
        string extraSpec = "",
        string ns = "observability")
    {
        var lines = new List<string>
        {
            "apiVersion: opentelemetry.io/v1beta1",
            "kind: OpenTelemetryCollector",
            $"metadata: {{name: {name}, namespace: {ns}}}",
            "spec:",
            $"  mode: {mode}",
            $"  image: {image}",
        };
        if (replicas is not null)
        {
            lines.Add($"  replicas: {replicas}");
        }

        if (serviceAccount is not null)
        {
            lines.Add($"  serviceAccount: {serviceAccount}");
        }

        if (extraSpec.Length > 0)
        {
            lines.AddRange(extraSpec.Split('\n').Select(l => "  " + l));
        }

        lines.Add("  config:");
        lines.AddRange(config.Split('\n').Select(l => "    " + l));
        return string.Join("\n", lines);
    }

    public const string DefaultConfig = """
        receivers: {otlp: {protocols: {grpc: {}}}}
        exporters: {debug: {}}
        service: {pipelines: {traces: {receivers: [otlp], exporters: [debug]}}}
        """;

    public static string ServiceAccount(string name, string ns = "observability") =>
        $"apiVersion: v1\nkind: ServiceAccount\nmetadata: {{name: {name}, namespace: {ns}}}";

    public static string ClusterRole(string name, params (string Group, string Resources)[] rules) =>
        $"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {{name: {name}}}\nrules:\n" +
        string.Join("\n", rules.Select(r => $"  - {{apiGroups: [\"{r.Group}\"], resources: [{r.Resources}], verbs: [get, list, watch]}}"));

    public static string ClusterRoleBinding(string name, string role, string sa, string ns = "observability") =>
        $"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {{name: {name}}}\n" +
        $"roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: {role}}}\n" +
        $"subjects: [{{kind: ServiceAccount, name: {sa}, namespace: {ns}}}]";
}
