using System.Net;
using System.Text.Json.Nodes;
using OtelLab.Sim.Vault;

namespace OtelLab.Tests.Sim.Vault;

[Trait("Category", "Component")]
public sealed class VaultServerTests
{
    private static readonly string[] EnvelopeKeys =
        ["request_id", "lease_id", "renewable", "lease_duration", "data", "wrap_info", "warnings", "auth", "mount_type"];

    private static readonly string[] MetadataKeys = ["created_time", "custom_metadata", "deletion_time", "destroyed", "version"];

    [Fact]
    public async Task Health_reports_an_initialized_unsealed_active_server()
    {
        // Given a running lab Vault
        await using var vault = await VaultHarness.StartAsync(scenario: null);

        // When sys/health is asked, without a token
        var (status, body) = await vault.SendAsync(HttpMethod.Get, "sys/health");

        // Then it answers 200 with Vault's health fields
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body!["initialized"]!.GetValue<bool>());
        Assert.False(body["sealed"]!.GetValue<bool>());
        Assert.False(body["standby"]!.GetValue<bool>());
        Assert.Equal(vault.Clock.GetUtcNow().ToUnixTimeSeconds(), body["server_time_utc"]!.GetValue<long>());
        Assert.StartsWith("127.0.0.1", vault.Server.Address.Host, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kv_v2_write_then_read_returns_vaults_envelope_and_version_metadata()
    {
        // Given a running Vault and its root token
        await using var vault = await VaultHarness.StartAsync(scenario: null);
        var root = vault.Server.RootToken;

        // When a secret is written twice and read
        var (w1, written) = await vault.SendAsync(HttpMethod.Post, "secret/data/app/db", root, Data(("user", "svc"), ("pass", "p1")));
        vault.Clock.Advance(TimeSpan.FromSeconds(5));
        var (w2, rewritten) = await vault.SendAsync(HttpMethod.Put, "secret/data/app/db", root, Data(("user", "svc"), ("pass", "p2")));
        var (status, body) = await vault.SendAsync(HttpMethod.Get, "secret/data/app/db", root);
        var (oldStatus, old) = await vault.SendAsync(HttpMethod.Get, "secret/data/app/db?version=1", root);

        // Then writes answer version metadata (1, then 2) inside the envelope
        Assert.Equal(HttpStatusCode.OK, w1);
        Assert.Equal(HttpStatusCode.OK, w2);
        Assert.Equal(1, written!["data"]!["version"]!.GetValue<int>());
        Assert.Equal(2, rewritten!["data"]!["version"]!.GetValue<int>());
        Assert.Equal(MetadataKeys, rewritten["data"]!.AsObject().Select(kv => kv.Key).Order());

        // And the read has exactly Vault's envelope, data.data and data.metadata
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull(body);
        Assert.Equal(EnvelopeKeys.Order(), body.Select(kv => kv.Key).Order());
        Assert.True(Guid.TryParse(body["request_id"]!.GetValue<string>(), out _));
        Assert.Equal(string.Empty, body["lease_id"]!.GetValue<string>());
        Assert.False(body["renewable"]!.GetValue<bool>());
        Assert.Equal(0, body["lease_duration"]!.GetValue<int>());
        Assert.Null(body["wrap_info"]);
        Assert.Null(body["warnings"]);
        Assert.Null(body["auth"]);
        Assert.Equal("kv", body["mount_type"]!.GetValue<string>());
        Assert.Equal("p2", body["data"]!["data"]!["pass"]!.GetValue<string>());
        var metadata = body["data"]!["metadata"]!.AsObject();
        Assert.Equal(MetadataKeys, metadata.Select(kv => kv.Key).Order());
        Assert.Equal(2, metadata["version"]!.GetValue<int>());
        Assert.Equal("2025-01-01T00:00:05Z", metadata["created_time"]!.GetValue<string>());
        Assert.Equal(string.Empty, metadata["deletion_time"]!.GetValue<string>());
        Assert.False(metadata["destroyed"]!.GetValue<bool>());
        Assert.Null(metadata["custom_metadata"]);

        // And an older version is still readable
        Assert.Equal(HttpStatusCode.OK, oldStatus);
        Assert.Equal("p1", old!["data"]!["data"]!["pass"]!.GetValue<string>());
    }

    [Fact]
    public async Task Kv_v2_delete_soft_deletes_the_latest_version_and_a_read_answers_404_with_its_metadata()
    {
        // Given a written secret
        await using var vault = await VaultHarness.StartAsync(scenario: null);
        var root = vault.Server.RootToken;
        await vault.SendAsync(HttpMethod.Post, "secret/data/app/db", root, Data(("pass", "p1")));

        // When it is deleted and read again
        var (deleteStatus, deleteBody) = await vault.SendAsync(HttpMethod.Delete, "secret/data/app/db", root);
        var (status, body) = await vault.SendAsync(HttpMethod.Get, "secret/data/app/db", root);

        // Then delete is 204 and the read is 404 carrying metadata with a deletion time and no data
        Assert.Equal(HttpStatusCode.NoContent, deleteStatus);
        Assert.Null(deleteBody);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Null(body!["data"]!["data"]);
        Assert.NotEqual(string.Empty, body["data"]!["metadata"]!["deletion_time"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reading_a_path_never_written_answers_404_with_an_empty_error_list()
    {
        await using var vault = await VaultHarness.StartAsync(scenario: null);

        var (status, body) = await vault.SendAsync(HttpMethod.Get, "secret/data/nothing/here", vault.Server.RootToken);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Empty(VaultHarness.Errors(body));
        Assert.NotNull(body!["errors"]);
    }

    [Fact]
    public async Task Policy_grants_read_on_its_paths_only_and_denies_everything_else()
    {
        // Given the guide's policy (read on the two telemetry secrets) and a gateway token holding it
        await using var vault = await VaultHarness.StartAsync();
        var token = await vault.GatewayTokenAsync();
        await vault.SendAsync(HttpMethod.Post, "secret/data/payments/db", vault.Server.RootToken, Data(("pass", "x1234567")));

        // When the token reads its secret, another secret, and tries to write its own secret
        var (allowed, body) = await vault.SendAsync(HttpMethod.Get, "secret/data/observability/dynatrace", token);
        var other = await vault.SendAsync(HttpMethod.Get, "secret/data/payments/db", token);
        var (write, writeBody) = await vault.SendAsync(HttpMethod.Post, "secret/data/observability/dynatrace", token, Data(("token", "x")));
        var (policyRead, _) = await vault.SendAsync(HttpMethod.Get, "sys/policies/acl/otel-collector", token);

        // Then only the read on the granted path succeeds; the rest is 403 in Vault's words
        Assert.Equal(HttpStatusCode.OK, allowed);
        Assert.Equal(vault.DynatraceToken, body!["data"]!["data"]!["token"]!.GetValue<string>());
        VaultHarness.AssertErrors(other, HttpStatusCode.Forbidden, "1 error occurred:\n\t* permission denied\n\n");
        Assert.Equal(HttpStatusCode.Forbidden, write);
        Assert.Contains("permission denied", VaultHarness.Errors(writeBody).Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, policyRead);
    }

    [Fact]
    public async Task Requests_without_a_token_or_with_an_unknown_token_are_refused()
    {
        await using var vault = await VaultHarness.StartAsync();

        var missing = await vault.SendAsync(HttpMethod.Get, "secret/data/observability/dynatrace");
        var bogus = await vault.SendAsync(HttpMethod.Get, "secret/data/observability/dynatrace", "hvs.not-a-token");

        VaultHarness.AssertErrors(missing, HttpStatusCode.BadRequest, "missing client token");
        VaultHarness.AssertErrors(bogus, HttpStatusCode.Forbidden, "permission denied");
    }

    [Fact]
    public async Task Policies_are_written_and_read_back_and_bad_hcl_is_refused_with_vaults_message()
    {
        // Given a running Vault
        await using var vault = await VaultHarness.StartAsync(scenario: null);
        var root = vault.Server.RootToken;
        const string Hcl = "path \"secret/data/a/*\" {\n  capabilities = [\"read\", \"list\"]\n}\n";

        // When a policy is written (name in upper case), read back, and a bad one is written
        var (put, _) = await vault.SendAsync(HttpMethod.Put, "sys/policies/acl/Team-A", root, new JsonObject { ["policy"] = Hcl });
        var (get, body) = await vault.SendAsync(HttpMethod.Get, "sys/policies/acl/team-a", root);
        var bad = await vault.SendAsync(HttpMethod.Put, "sys/policies/acl/bad", root,
            new JsonObject { ["policy"] = "path \"secret/*\" { capabilities = [\"reed\"] }" });
        var empty = await vault.SendAsync(HttpMethod.Put, "sys/policies/acl/empty", root, new JsonObject());

        // Then the name is lower-cased, the raw HCL comes back, and errors are Vault's
        Assert.Equal(HttpStatusCode.NoContent, put);
        Assert.Equal(HttpStatusCode.OK, get);
        Assert.Equal("team-a", body!["data"]!["name"]!.GetValue<string>());
        Assert.Equal(Hcl, body["data"]!["policy"]!.GetValue<string>());
        VaultHarness.AssertErrors(bad, HttpStatusCode.BadRequest, "failed to parse policy: path \"secret/*\": invalid capability \"reed\"");
        VaultHarness.AssertErrors(empty, HttpStatusCode.BadRequest, "'policy' parameter not supplied or empty");
    }

    [Fact]
    public async Task Lookup_self_describes_the_callers_token_and_its_remaining_ttl()
    {
        // Given a gateway token issued with the role's 1h TTL
        await using var vault = await VaultHarness.StartAsync();
        var token = await vault.GatewayTokenAsync();
        vault.Clock.Advance(TimeSpan.FromMinutes(10));

        // When it looks itself up
        var (status, body) = await vault.SendAsync(HttpMethod.Get, "auth/token/lookup-self", token);

        // Then the default policy allows it and the remaining TTL follows the clock
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["default", "otel-collector"], body!["data"]!["policies"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(3000, body["data"]!["ttl"]!.GetValue<long>());
        Assert.Equal(3600, body["data"]!["creation_ttl"]!.GetValue<long>());
        Assert.Equal("kubernetes-observability-otel-gateway-collector", body["data"]!["display_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Listening_outside_loopback_is_refused()
    {
        using var issuer = new ServiceAccountTokenIssuer();
        var options = new VaultServerOptions { Address = IPAddress.Parse("10.0.0.1"), Port = 0, TokenReviewer = new ServiceAccountTokenReviewer(issuer) };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => VaultServer.StartAsync(options, TestContext.Current.CancellationToken));

        Assert.Contains("127.0.0.0/8", error.Message, StringComparison.Ordinal);
    }

    private static JsonObject Data(params (string Key, string Value)[] fields) =>
        new() { ["data"] = new JsonObject(fields.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value))) };
}
