using System.Text;
using k8s.Models;
using OtelLab.Sim.Kubelet;

namespace OtelLab.Tests.Sim.Kubelet;

/// <summary>The kubelet's env resolution (kubernetes pkg/kubelet/kubelet_pods.go makeEnvironmentVariables).</summary>
[Trait("Category", "Unit")]
public sealed class ContainerEnvironmentTests
{
    private static V1Pod RunningPod(params V1EnvVar[] env) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "checkout-abc",
            NamespaceProperty = "payments",
            Uid = "0b6f-uid",
            Labels = new Dictionary<string, string> { ["app"] = "checkout", ["tier"] = "web" },
            Annotations = new Dictionary<string, string> { ["team"] = "pay \"core\"" },
        },
        Spec = new V1PodSpec
        {
            NodeName = "node-1",
            ServiceAccountName = "checkout-sa",
            Containers = [new V1Container { Name = "app", Image = "a:1", Env = env.ToList() }],
        },
        Status = new V1PodStatus
        {
            PodIP = "127.64.0.7",
            PodIPs = [new V1PodIP { Ip = "127.64.0.7" }, new V1PodIP { Ip = "::1" }],
            HostIP = "127.32.0.1",
        },
    };

    private static V1EnvVar Field(string name, string path) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = path } } };

    private static V1EnvVar Value(string name, string value) => new() { Name = name, Value = value };

    private static ContainerEnvironmentResult Resolve(V1Pod pod, IEnvValueSources? sources = null) =>
        ContainerEnvironment.Resolve(pod, pod.Spec.Containers[0], sources);

    [Theory]
    [InlineData("metadata.name", "checkout-abc")]
    [InlineData("metadata.namespace", "payments")]
    [InlineData("metadata.uid", "0b6f-uid")]
    [InlineData("metadata.labels['app']", "checkout")]
    [InlineData("metadata.labels['missing']", "")]
    [InlineData("metadata.annotations['team']", "pay \"core\"")]
    [InlineData("metadata.labels", "app=\"checkout\"\ntier=\"web\"")]
    [InlineData("metadata.annotations", "team=\"pay \\\"core\\\"\"")]
    [InlineData("spec.nodeName", "node-1")]
    [InlineData("spec.serviceAccountName", "checkout-sa")]
    [InlineData("status.hostIP", "127.32.0.1")]
    [InlineData("status.podIP", "127.64.0.7")]
    [InlineData("status.podIPs", "127.64.0.7,::1")]
    public void Field_refs_read_the_pod(string path, string expected)
    {
        var env = Resolve(RunningPod(Field("X", path)));

        Assert.True(env.Succeeded);
        Assert.Equal(expected, env["X"]);
    }

    [Theory]
    [InlineData("spec.restartPolicy", "unsupported fieldPath: spec.restartPolicy")]
    [InlineData("spec.containers", "field label not supported: spec.containers")]
    [InlineData("spec.nodeName['x']", "field label does not support subscript: spec.nodeName['x']")]
    public void Unsupported_field_refs_fail_the_container(string path, string error)
    {
        var env = Resolve(RunningPod(Field("X", path)));

        Assert.Equal(error, env.Error);
        Assert.Equal("CreateContainerConfigError", env.WaitingReason);
    }

    [Fact]
    public void Only_variables_defined_earlier_in_the_list_expand()
    {
        // Given B refers to A (defined before) and to C (defined after)
        var pod = RunningPod(
            Value("A", "a"),
            Value("B", "$(A)-$(C)"),
            Value("C", "c"),
            Value("D", "$(B)|$(C)|$$(A)"));

        // When
        var env = Resolve(pod);

        // Then
        Assert.Equal("a-$(C)", env["B"]);
        Assert.Equal("a-$(C)|c|$(A)", env["D"]);
        var missing = Assert.Single(env.Unresolved);
        Assert.Equal(("B", "C"), (missing.EnvVar, missing.Variable));
        Assert.Equal("B still contains $(C): C is not defined earlier in the container's env", missing.ToString());
    }

    [Fact]
    public void A_field_ref_defined_earlier_expands_in_later_values()
    {
        var env = Resolve(RunningPod(Field("OTEL_NODE_IP", "status.hostIP"), Value("OTEL_EXPORTER_OTLP_ENDPOINT", "http://$(OTEL_NODE_IP):4318")));

        Assert.Equal("http://127.32.0.1:4318", env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
    }

    [Fact]
    public void A_later_duplicate_replaces_the_value_but_not_what_was_already_expanded()
    {
        var env = Resolve(RunningPod(Value("A", "1"), Value("B", "$(A)"), Value("A", "2")));

        Assert.Equal(["A=2", "B=1"], env.Variables.Select(v => $"{v.Key}={v.Value}"));
    }

    [Fact]
    public void Secret_and_config_map_keys_resolve_through_the_lookup()
    {
        // Given a Secret (data and stringData) and a ConfigMap
        var sources = new InMemoryEnvValueSources()
            .Add(new V1Secret
            {
                Metadata = new V1ObjectMeta { Name = "dt", NamespaceProperty = "payments" },
                Data = new Dictionary<string, byte[]> { ["token"] = Encoding.UTF8.GetBytes("dt0c01.abc") },
                StringData = new Dictionary<string, string> { ["url"] = "https://abc.live.dynatrace.com" },
            })
            .Add(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cfg", NamespaceProperty = "payments" }, Data = new Dictionary<string, string> { ["port"] = "4318" } });
        var pod = RunningPod(
            new V1EnvVar { Name = "TOKEN", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "dt", Key = "token" } } },
            new V1EnvVar { Name = "URL", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "dt", Key = "url" } } },
            new V1EnvVar { Name = "PORT", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "cfg", Key = "port" } } },
            Value("ENDPOINT", "http://$(OTEL_NODE_IP):$(PORT)"));

        // When
        var env = Resolve(pod, sources);

        // Then
        Assert.Equal(("dt0c01.abc", "https://abc.live.dynatrace.com", "4318"), (env["TOKEN"], env["URL"], env["PORT"]));
        Assert.Equal("http://$(OTEL_NODE_IP):4318", env["ENDPOINT"]);
    }

    public static TheoryData<V1EnvVarSource, string> MissingSources => new()
    {
        { new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "dt", Key = "token" } }, "secret \"dt\" not found" },
        { new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "cfg", Key = "port" } }, "configmap \"cfg\" not found" },
        { new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "present", Key = "nope" } }, "couldn't find key nope in Secret payments/present" },
        { new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "present", Key = "nope" } }, "couldn't find key nope in ConfigMap payments/present" },
    };

    [Theory]
    [MemberData(nameof(MissingSources))]
    public void A_missing_source_fails_with_CreateContainerConfigError(V1EnvVarSource source, string error)
    {
        var env = Resolve(RunningPod(new V1EnvVar { Name = "X", ValueFrom = source }), Present());

        Assert.False(env.Succeeded);
        Assert.Equal(error, env.Error);
        Assert.Equal(ContainerEnvironmentResult.CreateContainerConfigError, env.WaitingReason);
    }

    [Fact]
    public void An_optional_missing_source_leaves_the_variable_undefined()
    {
        var pod = RunningPod(
            new V1EnvVar { Name = "X", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "dt", Key = "k", Optional = true } } },
            Value("Y", "[$(X)]"));

        var env = Resolve(pod);

        Assert.True(env.Succeeded);
        Assert.Null(env["X"]);
        Assert.Equal("[$(X)]", env["Y"]);
    }

    [Fact]
    public void EnvFrom_defines_variables_before_env_and_skips_invalid_names()
    {
        // Given a ConfigMap with a valid and an invalid key, loaded with a prefix
        var sources = new InMemoryEnvValueSources().Add(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "cfg", NamespaceProperty = "payments" },
            Data = new Dictionary<string, string> { ["HOST"] = "agent", ["bad key"] = "x" },
        });
        var pod = RunningPod(Value("URL", "http://$(CFG_HOST):4318"));
        pod.Spec.Containers[0].EnvFrom = [new V1EnvFromSource { Prefix = "CFG_", ConfigMapRef = new V1ConfigMapEnvSource { Name = "cfg" } }];

        // When
        var env = Resolve(pod, sources);

        // Then
        Assert.Equal("http://agent:4318", env["URL"]);
        Assert.DoesNotContain(env.Variables, v => v.Key == "CFG_bad key");
        Assert.Equal("Keys [CFG_bad key] from the EnvFrom configMap payments/cfg were skipped since they are considered invalid environment variable names.", Assert.Single(env.Warnings));
    }

    [Fact]
    public void Service_env_vars_expand_and_are_added_unless_the_container_defines_them()
    {
        var pod = RunningPod(Value("A", "$(AGENT_SERVICE_HOST)"), Value("KUBERNETES_PORT", "mine"));
        var services = new Dictionary<string, string> { ["AGENT_SERVICE_HOST"] = "127.96.0.1", ["KUBERNETES_PORT"] = "tcp://127.96.0.9:443" };

        var env = ContainerEnvironment.Resolve(pod, pod.Spec.Containers[0], serviceEnv: services);

        Assert.Equal(["A=127.96.0.1", "KUBERNETES_PORT=mine", "AGENT_SERVICE_HOST=127.96.0.1"], env.Variables.Select(v => $"{v.Key}={v.Value}"));
    }

    private static InMemoryEnvValueSources Present() => new InMemoryEnvValueSources()
        .Add(new V1Secret { Metadata = new V1ObjectMeta { Name = "present", NamespaceProperty = "payments" }, Data = new Dictionary<string, byte[]>() })
        .Add(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "present", NamespaceProperty = "payments" }, Data = new Dictionary<string, string>() });
}
