using System.Net;
using System.Text.RegularExpressions;
using OtelLab.Model;
using OtelLab.Sim.Vault;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Vault;

[Trait("Category", "Component")]
public sealed partial class VaultSetupTests
{
    [Fact]
    public void The_payments_scenario_vault_block_is_the_guides_step_2()
    {
        // When the payments scenario's vault: block is read
        var file = Path.Combine(RepoPaths.Scenario("payments"), "scenario.yaml");
        var block = VaultBlock.Load(file)!;

        // Then it holds the guide's policy, role and the two generated credentials, with their positions
        var policy = Assert.Single(block.Policies);
        Assert.Equal("otel-collector", policy.Name);
        Assert.Contains("path \"secret/data/observability/dynatrace\" { capabilities = [\"read\"] }", policy.Hcl, StringComparison.Ordinal);
        var role = Assert.Single(block.KubernetesRoles);
        Assert.Equal(["otel-gateway-collector"], role.BoundServiceAccountNames);
        Assert.Equal(["observability"], role.BoundServiceAccountNamespaces);
        Assert.Equal(["otel-collector"], role.Policies);
        Assert.Equal("1h", role.Ttl);
        Assert.Equal(file, role.Location.File);
        Assert.True(role.Location.Line > 0);
        Assert.Equal(
            [("secret/data/observability/dynatrace", "token", GeneratedSecretKind.DynatraceApiToken), ("secret/data/observability/datadog", "api_key", GeneratedSecretKind.DatadogApiKey)],
            block.Secrets.Select(s => (s.Path, s.Fields.Single().Key, s.Fields.Single().Generate!.Value)));
    }

    [Fact]
    public async Task Applying_the_block_stores_vendor_shaped_generated_credentials_and_returns_them()
    {
        // Given the payments scenario applied to a fresh Vault
        await using var vault = await VaultHarness.StartAsync();

        // When the generated values are read back with the root token
        var (status, body) = await vault.SendAsync(HttpMethod.Get, "secret/data/observability/dynatrace", vault.Server.RootToken);

        // Then they have the vendors' shapes, Vault holds exactly them, and printing them masks the value
        Assert.Matches(DynatraceToken(), vault.DynatraceToken);
        Assert.Matches(DatadogKey(), vault.DatadogKey);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(vault.DynatraceToken, body!["data"]!["data"]!["token"]!.GetValue<string>());
        var printed = vault.Setup!.Get("secret/data/observability/dynatrace", "token").ToString();
        Assert.DoesNotContain(vault.DynatraceToken, printed, StringComparison.Ordinal);
        Assert.Contains("dt0c****(sha256:", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_application_generates_new_credentials()
    {
        var tokens = Enumerable.Range(0, 20).Select(_ => VaultSetup.Generate(GeneratedSecretKind.DynatraceApiToken)).ToHashSet();

        Assert.Equal(20, tokens.Count);
        Assert.All(tokens, t => Assert.Matches(DynatraceToken(), t));
    }

    [Theory]
    [InlineData("vault:\n  policies:\n    p: |\n      path \"a\" {\n        capabilities = [\"reed\"]\n      }\n", 3,
        "vault.policies.p: failed to parse policy: path \"a\": invalid capability \"reed\"")]
    [InlineData("vault:\n  policies:\n    p: |\n      path \"a\" {\n        capabilites = [\"read\"]\n      }\n", 5,
        "vault.policies.p: failed to parse policy: path \"a\": invalid key \"capabilites\" on line 2")]
    [InlineData("vault:\n  kubernetesRoles:\n    r:\n      bound_service_account_names: [a]\n      bound_service_account_namespaces: [b]\n      tll: 1h\n", 6,
        "vault.kubernetesRoles.r.tll: unknown role parameter")]
    [InlineData("vault:\n  kubernetesRoles:\n    r:\n      bound_service_account_names: [a]\n      bound_service_account_namespaces: [b]\n      ttl: 1hour\n", 6,
        "vault.kubernetesRoles.r.ttl: time: unknown unit \"hour\" in duration \"1hour\"")]
    [InlineData("vault:\n  kubernetesRoles:\n    r:\n      bound_service_account_namespaces: [b]\n", 3,
        "vault.kubernetesRoles.r: bound_service_account_names is required")]
    [InlineData("vault:\n  secrets:\n    secret/data/x: { token: \"<generated: splunk token>\" }\n", 3,
        "vault.secrets.secret/data/x.token: unknown generated credential \"splunk token\"")]
    [InlineData("vault:\n  secrets:\n    secret/data/x: token\n", 3,
        "vault.secrets.secret/data/x: expected a mapping of secret keys to values, e.g. { token: \"<generated: dynatrace api token>\" }, found \"token\"")]
    [InlineData("vault:\n  polices: {}\n", 2, "vault.polices: unknown key")]
    public void Bad_blocks_are_refused_with_file_line_and_a_fix(string yaml, int line, string message)
    {
        var error = Assert.Throws<ManifestException>(() => VaultBlock.Parse("scenario.yaml", yaml));

        Assert.Equal(message, error.Message);
        Assert.Equal("scenario.yaml", error.Location.File);
        Assert.Equal(line, error.Location.Line);
        Assert.False(string.IsNullOrEmpty(error.Hint));
    }

    [Fact]
    public void A_scenario_without_a_vault_block_has_none()
    {
        Assert.Null(VaultBlock.Parse("scenario.yaml", "name: x\ncluster:\n  nodes: 1\n"));
    }

    [Fact]
    public async Task A_request_vault_refuses_points_at_the_block_entry()
    {
        // Given a role Vault refuses ("*" mixed with names) in a scenario file
        await using var vault = await VaultHarness.StartAsync(scenario: null);
        var block = VaultBlock.Parse("scenario.yaml",
            "vault:\n  kubernetesRoles:\n    r:\n      bound_service_account_names: [\"*\", a]\n      bound_service_account_namespaces: [b]\n")!;

        // When it is applied
        var error = await Assert.ThrowsAsync<ManifestException>(() => VaultSetup.ApplyAsync(vault.Server, block, TestContext.Current.CancellationToken));

        // Then the error carries Vault's words and the entry's position
        Assert.Equal("vault: kubernetes role r: Vault refused it: can not mix \"*\" with values (HTTP 400)", error.Message);
        Assert.Equal(3, error.Location.Line);
    }

    [GeneratedRegex("^dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}$")]
    private static partial Regex DynatraceToken();

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex DatadogKey();
}
