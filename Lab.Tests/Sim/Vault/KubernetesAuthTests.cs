using System.Net;
using System.Text.Json.Nodes;
using OtelLab.Sim.Vault;

namespace OtelLab.Tests.Sim.Vault;

[Trait("Category", "Component")]
public sealed class KubernetesAuthTests
{
    [Fact]
    public async Task The_bound_service_account_in_the_bound_namespace_logs_in_with_the_roles_policies_and_ttl()
    {
        // Given the guide's role otel-collector (otel-gateway-collector in observability, policy otel-collector, ttl 1h)
        await using var vault = await VaultHarness.StartAsync();

        // When the gateway's ServiceAccount logs in
        var (status, body) = await vault.LoginAsync("otel-collector", "observability", "otel-gateway-collector");

        // Then Vault issues a service token with default + the role's policy for one hour
        Assert.Equal(HttpStatusCode.OK, status);
        var auth = body!["auth"]!;
        Assert.StartsWith("hvs.", auth["client_token"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["default", "otel-collector"], auth["policies"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(3600, auth["lease_duration"]!.GetValue<int>());
        Assert.True(auth["renewable"]!.GetValue<bool>());
        Assert.Equal("service", auth["token_type"]!.GetValue<string>());
        Assert.Equal("otel-gateway-collector", auth["metadata"]!["service_account_name"]!.GetValue<string>());
        Assert.Equal(vault.Issuer.UidOf("observability", "otel-gateway-collector"), auth["metadata"]!["service_account_uid"]!.GetValue<string>());
        Assert.Null(body["data"]);
    }

    [Fact]
    public async Task Another_service_account_is_refused_with_vaults_error()
    {
        // Given the guide's role, bound to otel-gateway-collector only
        await using var vault = await VaultHarness.StartAsync();

        // When the agent collector's ServiceAccount (same namespace) tries the role
        var response = await vault.LoginAsync("otel-collector", "observability", "otel-agent-collector");

        // Then upstream's parseAndValidateJWT refuses it
        VaultHarness.AssertErrors(response, HttpStatusCode.Forbidden, "service account name not authorized");
    }

    [Fact]
    public async Task The_right_service_account_name_in_another_namespace_is_refused()
    {
        await using var vault = await VaultHarness.StartAsync();

        var response = await vault.LoginAsync("otel-collector", "payments", "otel-gateway-collector");

        VaultHarness.AssertErrors(response, HttpStatusCode.Forbidden, "namespace not authorized");
    }

    [Fact]
    public async Task An_unknown_role_and_missing_fields_are_bad_requests()
    {
        await using var vault = await VaultHarness.StartAsync();

        var unknown = await vault.LoginAsync("otel-gateway", "observability", "otel-gateway-collector");
        var noJwt = await vault.SendAsync(HttpMethod.Post, "auth/kubernetes/login", body: new JsonObject { ["role"] = "otel-collector" });

        VaultHarness.AssertErrors(unknown, HttpStatusCode.BadRequest, "invalid role name \"otel-gateway\"");
        VaultHarness.AssertErrors(noJwt, HttpStatusCode.BadRequest, "missing jwt");
    }

    [Fact]
    public async Task A_token_the_cluster_did_not_sign_fails_the_token_review_with_permission_denied()
    {
        // Given a JWT with the right claims but signed by a different key (another cluster)
        await using var vault = await VaultHarness.StartAsync();
        using var otherCluster = new ServiceAccountTokenIssuer();
        var forged = otherCluster.Issue("observability", "otel-gateway-collector");

        // When it is used to log in
        var response = await vault.SendAsync(HttpMethod.Post, "auth/kubernetes/login",
            body: new JsonObject { ["role"] = "otel-collector", ["jwt"] = forged });

        // Then the bindings pass but the TokenReview does not: a bare permission denied, the reason only in the log
        VaultHarness.AssertErrors(response, HttpStatusCode.Forbidden, "permission denied");
        Assert.Contains(vault.Logs.Lines, l => l.Contains("login unauthorized", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_deleted_service_account_can_no_longer_log_in()
    {
        await using var vault = await VaultHarness.StartAsync();
        var jwt = vault.Issuer.Issue("observability", "otel-gateway-collector");
        vault.Issuer.Delete("observability", "otel-gateway-collector");

        var response = await vault.SendAsync(HttpMethod.Post, "auth/kubernetes/login",
            body: new JsonObject { ["role"] = "otel-collector", ["jwt"] = jwt });

        VaultHarness.AssertErrors(response, HttpStatusCode.Forbidden, "permission denied");
    }

    [Fact]
    public async Task The_login_token_expires_when_the_roles_ttl_has_passed()
    {
        // Given a gateway token from the 1h role, on the lab's manual clock
        await using var vault = await VaultHarness.StartAsync();
        var token = await vault.GatewayTokenAsync();

        // When the clock moves to just before, then exactly to, the end of the TTL
        vault.Clock.Advance(TimeSpan.FromMinutes(59) + TimeSpan.FromSeconds(59));
        var (before, _) = await vault.SendAsync(HttpMethod.Get, "secret/data/observability/dynatrace", token);
        vault.Clock.Advance(TimeSpan.FromSeconds(1));
        var after = await vault.SendAsync(HttpMethod.Get, "secret/data/observability/dynatrace", token);

        // Then the read works until the TTL ends and is refused from then on
        Assert.Equal(HttpStatusCode.OK, before);
        VaultHarness.AssertErrors(after, HttpStatusCode.Forbidden, "permission denied");
    }

    [Fact]
    public async Task Role_writes_follow_path_role_validation_and_warn_without_an_audience()
    {
        // Given a running Vault
        await using var vault = await VaultHarness.StartAsync(scenario: null);
        var root = vault.Server.RootToken;

        // When roles are written with and without required fields, and one is read back
        var (ok, okBody) = await vault.SendAsync(HttpMethod.Post, "auth/kubernetes/role/app", root, new JsonObject
        {
            ["bound_service_account_names"] = "app,worker",
            ["bound_service_account_namespaces"] = new JsonArray("apps"),
            ["policies"] = "app-read",
            ["ttl"] = "20m",
        });
        var noNames = await vault.SendAsync(HttpMethod.Post, "auth/kubernetes/role/bad", root,
            new JsonObject { ["bound_service_account_namespaces"] = "apps" });
        var mixed = await vault.SendAsync(HttpMethod.Post, "auth/kubernetes/role/bad", root,
            new JsonObject { ["bound_service_account_names"] = "*,app", ["bound_service_account_namespaces"] = "apps" });
        var (read, readBody) = await vault.SendAsync(HttpMethod.Get, "auth/kubernetes/role/app", root);

        // Then Vault's texts come back and the stored role reflects the comma lists and the TTL in seconds
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Contains("does not specify an audience", okBody!["warnings"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        VaultHarness.AssertErrors(noNames, HttpStatusCode.BadRequest, "\"bound_service_account_names\" can not be empty");
        VaultHarness.AssertErrors(mixed, HttpStatusCode.BadRequest, "can not mix \"*\" with values");
        Assert.Equal(HttpStatusCode.OK, read);
        Assert.Equal(["app", "worker"], readBody!["data"]!["bound_service_account_names"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(1200, readBody["data"]!["token_ttl"]!.GetValue<long>());
    }

    [Fact]
    public async Task Globbed_bindings_match_like_upstreams_strutil()
    {
        await using var vault = await VaultHarness.StartAsync(scenario: null);
        await vault.SendAsync(HttpMethod.Post, "auth/kubernetes/role/globs", vault.Server.RootToken, new JsonObject
        {
            ["bound_service_account_names"] = "otel-*",
            ["bound_service_account_namespaces"] = "*",
        });

        var (match, _) = await vault.LoginAsync("globs", "anywhere", "otel-agent-collector");
        var miss = await vault.LoginAsync("globs", "anywhere", "checkout");

        Assert.Equal(HttpStatusCode.OK, match);
        VaultHarness.AssertErrors(miss, HttpStatusCode.Forbidden, "service account name not authorized");
    }
}
