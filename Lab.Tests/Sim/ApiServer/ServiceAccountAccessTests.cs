using OtelLab.Tests.Support;
using k8s;
using k8s.Autorest;
using OtelLab.Model.Rbac;
using OtelLab.Sim.ApiServer;
using OtelLab.Sim.Vault;

namespace OtelLab.Tests.Sim.ApiServer;

/// <summary>ServiceAccount bearer tokens: authenticated by the lab's token signer, authorised by the cluster's RBAC.</summary>
[Trait("Category", "Lab")]
public sealed class ServiceAccountAccessTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>, IDisposable
{
    private readonly ServiceAccountTokenIssuer _issuer = new();

    public void Dispose() => _issuer.Dispose();

    private k8s.Kubernetes ClientWith(string token)
    {
        fixture.Server.ServiceAccountTokens = _issuer.Review;
        return new k8s.Kubernetes(fixture.Server.Endpoint.ClientConfiguration(token));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task The_target_allocators_service_account_may_list_pods_but_not_secrets()
    {
        using var client = ClientWith(_issuer.Issue("observability", "otel-targetallocator"));
        var ct = TestContext.Current.CancellationToken;

        var pods = await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: ct);
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListSecretForAllNamespacesAsync(cancellationToken: ct));

        Assert.NotEmpty(pods.Items);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.Response.StatusCode);
        var status = KubernetesJson.Deserialize<k8s.Models.V1Status>(refused.Response.Content);
        Assert.Equal(
            "secrets is forbidden: User \"system:serviceaccount:observability:otel-targetallocator\" cannot list resource \"secrets\" in API group \"\" at the cluster scope",
            status.Message);
        Assert.Equal(("Forbidden", 403), (status.Reason, status.Code));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Reading_a_pods_log_needs_the_pods_log_subresource_in_rbac()
    {
        // Given the Target Allocator's ServiceAccount, whose ClusterRole grants pods but not pods/log
        using var client = ClientWith(_issuer.Issue("observability", "otel-targetallocator"));
        var ct = TestContext.Current.CancellationToken;
        var pod = (await client.CoreV1.ListNamespacedPodAsync("observability", cancellationToken: ct)).Items[0].Metadata.Name;

        // When it asks for a pod's log
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedPodLogAsync(pod, "observability", cancellationToken: ct));

        // Then the API server refuses with the subresource named, as RBAC does (apiserver responsewriters/errors.go forbiddenMessage)
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.Response.StatusCode);
        var status = KubernetesJson.Deserialize<k8s.Models.V1Status>(refused.Response.Content);
        Assert.Equal(
            $"pods \"{pod}\" is forbidden: User \"system:serviceaccount:observability:otel-targetallocator\" cannot get resource \"pods/log\" in API group \"\" in the namespace \"observability\"",
            status.Message);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_token_the_signer_did_not_mint_is_unauthorized()
    {
        using var client = ClientWith("not-a-token");

        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespaceAsync(cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.Response.StatusCode);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_service_accounts_context_acts_as_it_under_the_clusters_rbac()
    {
        // Given a kubeconfig with a context for the Target Allocator's ServiceAccount (its ClusterRole: pods, not secrets)
        fixture.Server.ServiceAccountTokens = _issuer.Review;
        var account = new RbacSubject("observability", "otel-targetallocator");
        var path = fixture.Server.WriteKubeconfig(Path.Combine(fixture.TempPath, "accounts.kubeconfig"), [(account, _issuer.Issue(account.Namespace, account.Name))]);

        // When kubectl uses that context, and the admin's
        var pods = await Kubectl.RunAsync(path, fixture.TempPath, Kubectl.Default, "--context", Kubeconfig.ContextOf(account), "get", "pods", "-A", "--no-headers");
        var secrets = await Kubectl.RunAsync(path, fixture.TempPath, Kubectl.Default, "--context", Kubeconfig.ContextOf(account), "get", "secrets", "-A");
        var admin = await Kubectl.RunAsync(path, fixture.TempPath, Kubectl.Default, "get", "secrets", "-A");

        // Then the ServiceAccount lists pods, is refused secrets with the API server's text, and the admin is not
        Assert.True(pods.ExitCode == 0, pods.Err);
        Assert.NotEmpty(pods.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(secrets.ExitCode == 1, secrets.Out + secrets.Err);
        Assert.Contains(
            "Error from server (Forbidden): secrets is forbidden: User \"system:serviceaccount:observability:otel-targetallocator\" cannot list resource \"secrets\" in API group \"\" at the cluster scope",
            secrets.Err, StringComparison.Ordinal);
        Assert.True(admin.ExitCode == 0, admin.Err);
    }
}
