using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Vault;

[Trait("Category", "Component")]
public sealed partial class SecretHygieneTests
{
    [Fact]
    public async Task No_credential_appears_in_logs_results_or_error_texts_across_success_and_failure_paths()
    {
        // Given Vault set up from the guide, and pods that succeed, fail login, are denied, and hit template errors
        await using var vault = await VaultHarness.StartAsync();
        var gateway = AgentInjectorTests.Gateway("payments");
        var clientToken = await vault.GatewayTokenAsync();
        var texts = new List<string>();

        async Task Run(IReadOnlyDictionary<string, string> annotations, string serviceAccount)
        {
            using var pod = new TempDirectory();
            var result = await AgentInjectorTests.InjectAsync(vault, pod, annotations, serviceAccount);
            texts.Add(JsonSerializer.Serialize(result));
            texts.Add(result.ToString());
            texts.AddRange(result.Files.Select(f => f.ToString()));
        }

        await Run(gateway.PodAnnotations, gateway.EffectiveServiceAccount);
        await Run(gateway.PodAnnotations, "otel-agent-collector");
        await Run(new Dictionary<string, string>(gateway.PodAnnotations)
        {
            ["vault.hashicorp.com/agent-inject-template-dt"] =
                "{{ with secret \"secret/data/observability/dynatrace\" }}{{ .Data.data.token.value }}{{ end }}",
            ["vault.hashicorp.com/agent-inject-template-dd"] =
                "{{ with secret \"secret/data/observability/datadog\" }}{{ printf \"%s\" .Data.data.api_key | base64Decode }}{{ end }}",
        }, gateway.EffectiveServiceAccount);
        await Run(new Dictionary<string, string>
        {
            ["vault.hashicorp.com/agent-inject"] = "true",
            ["vault.hashicorp.com/role"] = "otel-collector",
            ["vault.hashicorp.com/agent-inject-secret-db"] = "secret/data/payments/db",
        }, gateway.EffectiveServiceAccount);
        await vault.SendAsync(HttpMethod.Get, "secret/data/observability/dynatrace", clientToken);
        await vault.SendAsync(HttpMethod.Get, "secret/data/payments/db", clientToken);
        vault.Clock.Advance(TimeSpan.FromHours(2));
        await vault.SendAsync(HttpMethod.Get, "secret/data/observability/dynatrace", clientToken);
        await vault.SendAsync(HttpMethod.Post, "secret/data/x", vault.Server.RootToken, new JsonObject { ["data"] = "not-an-object" });
        texts.Add(vault.Setup!.ToString());
        texts.AddRange(vault.Setup.Generated.Select(g => g.ToString()));

        // Then the logs saw every path (so the assertion below is not vacuous) ...
        var everything = vault.Logs.All + "\n" + string.Join('\n', texts);
        Assert.Contains("rendered /vault/secrets/dt", vault.Logs.All, StringComparison.Ordinal);
        Assert.Contains("service account name not authorized", everything, StringComparison.Ordinal);
        Assert.Contains("can't evaluate field value in type string", everything, StringComparison.Ordinal);
        Assert.Contains("unknown or expired token hvs.****", vault.Logs.All, StringComparison.Ordinal);

        // ... and no generated credential, Vault token or ServiceAccount JWT appears in clear anywhere
        Assert.DoesNotContain(vault.DynatraceToken, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(vault.DatadogKey, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(vault.Server.RootToken, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(clientToken, everything, StringComparison.Ordinal);
        Assert.DoesNotMatch(VaultToken(), everything);
        Assert.DoesNotContain("eyJ", everything, StringComparison.Ordinal);
    }

    [GeneratedRegex("hvs\\.[A-Za-z0-9]{8,}")]
    private static partial Regex VaultToken();
}
