using System.Net;
using System.Text.Json.Nodes;
using OtelLab.Model.Crds;
using OtelLab.Model.Manifests;
using OtelLab.Sim.Vault;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Vault;

[Trait("Category", "Component")]
public sealed class AgentInjectorTests
{
    private const string Inject = "vault.hashicorp.com/agent-inject";
    private const string Role = "vault.hashicorp.com/role";
    private const string SecretDt = "vault.hashicorp.com/agent-inject-secret-dt";

    [Fact]
    public async Task The_guides_gateway_annotations_render_export_lines_into_vault_secrets()
    {
        // Given the guide's gateway CR (scenarios/payments) and Vault set up from the guide's step 2
        await using var vault = await VaultHarness.StartAsync();
        using var pod = new TempDirectory();
        var gateway = Gateway("payments");

        // When the injector runs for a gateway pod
        var result = await InjectAsync(vault, pod, gateway.PodAnnotations, gateway.EffectiveServiceAccount, gateway.Namespace);

        // Then both files are written with the templates' export lines — shell syntax, which ${env:DT_API_TOKEN} never sees
        Assert.True(result.Injected);
        Assert.True(result.InitSucceeded, result.Reason);
        Assert.Equal(["default", "otel-collector"], result.TokenPolicies);
        Assert.Equal(["/vault/secrets/dd", "/vault/secrets/dt"], result.Files.Select(f => f.ContainerPath));
        Assert.All(result.Files, f => Assert.Equal(InjectedFileStatus.Rendered, f.Status));
        Assert.Equal($"export DT_API_TOKEN=\"{vault.DynatraceToken}\"", await ReadAsync(pod, "vault/secrets/dt"));
        Assert.Equal($"export DD_API_KEY=\"{vault.DatadogKey}\"", await ReadAsync(pod, "vault/secrets/dd"));
        Assert.Contains("${env:DT_API_TOKEN}", gateway.Config.ToString() + File.ReadAllText(
            Path.Combine(RepoPaths.Scenario("payments"), "manifests", "12-otel-gateway.yaml")), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                File.GetUnixFileMode(Path.Combine(pod.Path, "vault/secrets/dt")));
        }
    }

    [Fact]
    public async Task The_fixed_gateway_annotations_render_a_file_holding_only_the_raw_token()
    {
        // Given the fixed scenario's gateway, whose templates print only the value (for ${file:/vault/secrets/dt})
        await using var vault = await VaultHarness.StartAsync("payments-fixed");
        using var pod = new TempDirectory();
        var gateway = Gateway("payments-fixed");

        // When the injector runs
        var result = await InjectAsync(vault, pod, gateway.PodAnnotations, gateway.EffectiveServiceAccount, gateway.Namespace);

        // Then the files hold exactly the credentials, no newline, nothing around them
        Assert.True(result.InitSucceeded, result.Reason);
        Assert.Equal(vault.DynatraceToken, await ReadAsync(pod, "vault/secrets/dt"));
        Assert.Equal(vault.DatadogKey, await ReadAsync(pod, "vault/secrets/dd"));
    }

    [Fact]
    public async Task A_pod_running_as_another_service_account_gets_no_files_and_stays_in_init_with_vaults_reason()
    {
        // Given the guide's gateway annotations on a pod that runs as the agent collector's ServiceAccount
        await using var vault = await VaultHarness.StartAsync();
        using var pod = new TempDirectory();
        var gateway = Gateway("payments");

        // When the injector runs
        var result = await InjectAsync(vault, pod, gateway.PodAnnotations, "otel-agent-collector", "observability");

        // Then login fails with Vault's words, nothing is written, and init does not succeed
        Assert.True(result.Injected);
        Assert.False(result.InitSucceeded);
        Assert.StartsWith("error authenticating: Error making API request.", result.Reason, StringComparison.Ordinal);
        Assert.Contains("auth/kubernetes/login Code: 403. Errors: * service account name not authorized", result.Reason, StringComparison.Ordinal);
        Assert.Empty(result.TokenPolicies);
        Assert.All(result.Files, f => Assert.Equal(InjectedFileStatus.Failed, f.Status));
        Assert.Empty(Directory.EnumerateFileSystemEntries(pod.Path));
    }

    [Fact]
    public async Task Without_a_template_the_injector_default_renders_the_secrets_data_as_go_maps()
    {
        // Given only agent-inject-secret-dt (no template): vault-k8s's DefaultTemplate ranges over .Data
        await using var vault = await VaultHarness.StartAsync();
        using var pod = new TempDirectory();
        var annotations = Annotations((SecretDt, "secret/data/observability/dynatrace"));

        // When it is injected
        var result = await InjectAsync(vault, pod, annotations);

        // Then KV v2's data and metadata print as Go's %v of map[string]interface{} (sorted keys, nil as <nil>)
        Assert.True(result.InitSucceeded, result.Reason);
        Assert.Equal(
            $"data: map[token:{vault.DynatraceToken}]\n" +
            "metadata: map[created_time:2025-01-01T00:00:00Z custom_metadata:<nil> deletion_time: destroyed:false version:1]\n",
            await ReadAsync(pod, "vault/secrets/dt"));
    }

    [Fact]
    public async Task A_kv_path_without_data_gets_the_data_segment_like_consul_template()
    {
        await using var vault = await VaultHarness.StartAsync();
        using var pod = new TempDirectory();
        var annotations = Annotations(
            (SecretDt, "secret/observability/dynatrace"),
            ("vault.hashicorp.com/agent-inject-template-dt", "{{ with secret \"secret/observability/dynatrace\" }}{{ .Data.data.token }}{{ end }}"));

        var result = await InjectAsync(vault, pod, annotations);

        Assert.True(result.InitSucceeded, result.Reason);
        Assert.Equal(vault.DynatraceToken, await ReadAsync(pod, "vault/secrets/dt"));
    }

    [Fact]
    public async Task Denied_and_missing_secrets_fail_their_own_files_while_the_others_are_written()
    {
        // Given a role whose policy reads observability/* and a pod asking for a granted, a missing and a foreign secret
        await using var vault = await VaultHarness.StartAsync();
        var root = vault.Server.RootToken;
        await vault.SendAsync(HttpMethod.Put, "sys/policies/acl/observability-read", root,
            new JsonObject { ["policy"] = "path \"secret/data/observability/*\" { capabilities = [\"read\"] }" });
        await vault.SendAsync(HttpMethod.Post, "auth/kubernetes/role/wide", root, new JsonObject
        {
            ["bound_service_account_names"] = "otel-gateway-collector",
            ["bound_service_account_namespaces"] = "observability",
            ["policies"] = "observability-read",
        });
        await vault.SendAsync(HttpMethod.Post, "secret/data/payments/db", root, new JsonObject { ["data"] = new JsonObject { ["pass"] = "s3cr3t-db-pass" } });
        using var pod = new TempDirectory();
        var annotations = new Dictionary<string, string>
        {
            [Inject] = "true",
            [Role] = "wide",
            [SecretDt] = "secret/data/observability/dynatrace",
            ["vault.hashicorp.com/agent-inject-secret-gone"] = "secret/data/observability/missing",
            ["vault.hashicorp.com/agent-inject-secret-db"] = "secret/data/payments/db",
        };

        // When it is injected
        var result = await InjectAsync(vault, pod, annotations);

        // Then each failure carries consul-template's / Vault's words, the granted file exists, and init fails
        var files = result.Files.ToDictionary(f => f.Name);
        Assert.False(result.InitSucceeded);
        Assert.Equal(InjectedFileStatus.Rendered, files["dt"].Status);
        Assert.Equal(InjectedFileStatus.Failed, files["gone"].Status);
        Assert.Equal("vault.read(secret/data/observability/missing): no secret exists at secret/data/observability/missing", files["gone"].Error);
        Assert.Equal(InjectedFileStatus.Failed, files["db"].Status);
        Assert.Contains("Code: 403. Errors: * 1 error occurred: * permission denied", files["db"].Error, StringComparison.Ordinal);
        Assert.StartsWith("/vault/secrets/db: vault.read(secret/data/payments/db)", result.Reason, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(pod.Path, "vault/secrets/dt")));
        Assert.False(File.Exists(Path.Combine(pod.Path, "vault/secrets/db")));
    }

    [Fact]
    public async Task A_misspelled_key_renders_no_value_as_the_agent_does_and_a_bad_field_fails_the_file()
    {
        // Given templates with a key the secret does not have, a field on a string, and an undefined function
        await using var vault = await VaultHarness.StartAsync();
        using var pod = new TempDirectory();
        const string With = "{{ with secret \"secret/data/observability/dynatrace\" }}";
        var annotations = new Dictionary<string, string>
        {
            [Inject] = "true",
            [Role] = "otel-collector",
            [SecretDt] = "secret/data/observability/dynatrace",
            ["vault.hashicorp.com/agent-inject-template-dt"] = With + "export DT_API_TOKEN=\"{{ .Data.data.tokn }}\"{{ end }}",
            ["vault.hashicorp.com/agent-inject-secret-field"] = "secret/data/observability/dynatrace",
            ["vault.hashicorp.com/agent-inject-template-field"] = With + "{{ .Data.data.token.value }}{{ end }}",
            ["vault.hashicorp.com/agent-inject-secret-func"] = "secret/data/observability/dynatrace",
            ["vault.hashicorp.com/agent-inject-template-func"] = With + "{{ toYAML .Data }}{{ end }}",
        };

        // When it is injected
        var result = await InjectAsync(vault, pod, annotations);

        // Then the missing key prints <no value> (missingkey is not an error for the agent); the others fail with Go's texts
        var files = result.Files.ToDictionary(f => f.Name);
        Assert.Equal("export DT_API_TOKEN=\"<no value>\"", await ReadAsync(pod, "vault/secrets/dt"));
        Assert.Equal("template: :1:58: executing \"\" at <.Data.data.token.value>: can't evaluate field value in type string", files["field"].Error);
        Assert.Equal("template: :1: function \"toYAML\" not defined", files["func"].Error);
        Assert.False(result.InitSucceeded);
    }

    [Fact]
    public async Task File_name_volume_path_and_case_annotations_choose_the_destination()
    {
        await using var vault = await VaultHarness.StartAsync();
        using var pod = new TempDirectory();
        var annotations = new Dictionary<string, string>
        {
            [Inject] = "true",
            [Role] = "otel-collector",
            ["vault.hashicorp.com/agent-inject-secret-DT"] = "secret/data/observability/dynatrace",
            ["vault.hashicorp.com/agent-inject-secret-dd"] = "secret/data/observability/datadog",
            ["vault.hashicorp.com/agent-inject-file-dd"] = "keys/datadog.env",
            ["vault.hashicorp.com/secret-volume-path"] = "/etc/otel/secrets",
            ["vault.hashicorp.com/agent-inject-secret-escape"] = "secret/data/observability/datadog",
            ["vault.hashicorp.com/agent-inject-file-escape"] = "../../../../outside",
        };

        var result = await InjectAsync(vault, pod, annotations);

        var files = result.Files.ToDictionary(f => f.Name);
        Assert.Equal("/etc/otel/secrets/dt", files["dt"].ContainerPath);
        Assert.Equal("/etc/otel/secrets/keys/datadog.env", files["dd"].ContainerPath);
        Assert.True(File.Exists(Path.Combine(pod.Path, "etc/otel/secrets/keys/datadog.env")));
        // Go's filepath.Join cleans "..": the destination stays under / and so under the pod root.
        Assert.Equal("/outside", files["escape"].ContainerPath);
        Assert.StartsWith(pod.Path, files["escape"].HostPath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Annotations_decide_whether_the_injector_acts_as_the_webhook_does()
    {
        await using var vault = await VaultHarness.StartAsync();
        using var pod = new TempDirectory();

        var none = await InjectAsync(vault, pod, new Dictionary<string, string>());
        var off = await InjectAsync(vault, pod, new Dictionary<string, string> { [Inject] = "false", [Role] = "otel-collector" });
        var yes = await InjectAsync(vault, pod, new Dictionary<string, string> { [Inject] = "yes", [Role] = "otel-collector" });
        var noRole = await InjectAsync(vault, pod, new Dictionary<string, string> { [Inject] = "true" });

        Assert.Same(AgentInjectionResult.NotInjected, none);
        Assert.Same(AgentInjectionResult.NotInjected, off);
        Assert.False(yes.InitSucceeded);
        Assert.Equal("admission webhook \"vault.hashicorp.com\" denied the request: error checking if should inject: strconv.ParseBool: parsing \"yes\": invalid syntax", yes.Reason);
        Assert.Equal("admission webhook \"vault.hashicorp.com\" denied the request: error validating agent configuration: no Vault role found", noRole.Reason);
    }

    [Fact]
    public async Task The_agent_connects_from_the_pod_ip_when_one_is_given()
    {
        await using var vault = await VaultHarness.StartAsync();
        using var pod = new TempDirectory();
        var gateway = Gateway("payments-fixed");

        var result = await new AgentInjector(vault.Server.Address, vault.Issuer, vault.Logs).InjectAsync(new AgentInjectionRequest
        {
            PodName = "otel-gateway-collector-0",
            Namespace = gateway.Namespace,
            ServiceAccount = gateway.EffectiveServiceAccount,
            Annotations = gateway.PodAnnotations,
            PodRoot = pod.Path,
            PodIp = IPAddress.Parse("127.0.0.77"),
        }, TestContext.Current.CancellationToken);

        Assert.True(result.InitSucceeded, result.Reason);
    }

    internal static OpenTelemetryCollector Gateway(string scenario)
    {
        var set = ManifestLoader.Load([Path.Combine(RepoPaths.Scenario(scenario), "manifests")]);
        return set.Collectors.Single(c => c.Model.Name == "otel-gateway").Model;
    }

    internal static Task<AgentInjectionResult> InjectAsync(VaultHarness vault, TempDirectory pod, IReadOnlyDictionary<string, string> annotations,
        string serviceAccount = "otel-gateway-collector", string ns = "observability") =>
        new AgentInjector(vault.Server.Address, vault.Issuer, vault.Logs).InjectAsync(new AgentInjectionRequest
        {
            PodName = "otel-gateway-collector-5d9f7c8b6-x2x7q",
            Namespace = ns,
            ServiceAccount = serviceAccount,
            Annotations = annotations,
            PodRoot = pod.Path,
        }, TestContext.Current.CancellationToken);

    private static Dictionary<string, string> Annotations(params (string Key, string Value)[] extra)
    {
        var annotations = new Dictionary<string, string> { [Inject] = "true", [Role] = "otel-collector" };
        foreach (var (key, value) in extra)
        {
            annotations[key] = value;
        }

        return annotations;
    }

    private static Task<string> ReadAsync(TempDirectory pod, string relative) =>
        File.ReadAllTextAsync(Path.Combine(pod.Path, relative), TestContext.Current.CancellationToken);
}
