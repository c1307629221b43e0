using OtelLab.AppHost.Lab;
using OtelLab.Scenarios.Definition;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.AppHost;

/// <summary>The scenario's vault block as the Vault API requests a k3s run sends to the chart's dev server.</summary>
[Trait("Category", "Unit")]
public sealed class K3sVaultTests
{
    [Fact]
    public void Payments_fixed_enables_kubernetes_auth_then_writes_its_policy_role_and_secrets_with_the_runs_credentials()
    {
        var block = ScenarioLoader.Load(RepoPaths.Scenario("payments-fixed")).Vault!;

        var requests = K3sVault.Requests(block, "dt0c01.PUBLIC.SECRET", "0123456789abcdef0123456789abcdef", "pw");

        Assert.Equal(
        [
            "POST sys/auth/kubernetes {\"type\":\"kubernetes\"}",
            "POST auth/kubernetes/config {\"kubernetes_host\":\"https://kubernetes.default.svc\"}",
            "PUT sys/policies/acl/otel-collector",
            "POST auth/kubernetes/role/otel-collector {\"bound_service_account_names\":[\"otel-gateway-collector\"],\"bound_service_account_namespaces\":[\"observability\"],\"policies\":[\"otel-collector\"],\"ttl\":\"1h\"}",
            "POST secret/data/observability/dynatrace {\"data\":{\"token\":\"dt0c01.PUBLIC.SECRET\"}}",
            "POST secret/data/observability/datadog {\"data\":{\"api_key\":\"0123456789abcdef0123456789abcdef\"}}",
        ], requests.Select(r => $"{r.Method} {r.Path}" + (r.Path.StartsWith("sys/policies", StringComparison.Ordinal) ? "" : " " + r.Body.ToJsonString())));
        Assert.Contains("path \"secret/data/observability/dynatrace\" { capabilities = [\"read\"] }", requests[2].Body["policy"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
