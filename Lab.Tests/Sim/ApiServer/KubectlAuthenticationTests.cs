using System.Net;
using System.Text.Json.Nodes;
using OtelLab.Model.Rbac;
using OtelLab.Sim.ApiServer;
using OtelLab.Sim.Vault;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.ApiServer;

/// <summary>
/// Who may talk to the API server: https with the lab's CA, the admin's token or a ServiceAccount's (a context per
/// ServiceAccount in the kubeconfig), nothing without credentials — with the real kubectl.
/// </summary>
[Trait("Category", "Lab")]
public sealed class KubectlAuthenticationTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>, IDisposable
{
    private readonly ServiceAccountTokenIssuer _issuer = new();

    public void Dispose() => _issuer.Dispose();

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_request_without_credentials_is_401_Unauthorized()
    {
        using var http = ApiServerHttp.Client(fixture.Server, admin: false);

        using var reply = await http.GetAsync("/api/v1/namespaces/payments/pods", TestContext.Current.CancellationToken);
        var status = JsonNode.Parse(await reply.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        // As an API server without anonymous auth answers. (kubectl itself never sends such a request over https: with
        // no credentials in the kubeconfig it prompts for a username on stdin, client-go clientcmd's interactive config.)
        Assert.Equal(HttpStatusCode.Unauthorized, reply.StatusCode);
        Assert.Equal(("Failure", "Unauthorized", "Unauthorized", 401), ((string?)status["status"], (string?)status["reason"], (string?)status["message"], (int?)status["code"]));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Kubectl_with_a_token_the_cluster_does_not_know_is_told_to_log_in()
    {
        var stranger = Path.Combine(fixture.TempPath, "stranger.kubeconfig");
        var text = (await File.ReadAllTextAsync(fixture.KubeconfigPath, TestContext.Current.CancellationToken))
            .Replace(fixture.Server.AdminToken, "0123456789abcdef0123456789abcdef", StringComparison.Ordinal);
        await File.WriteAllTextAsync(stranger, text, TestContext.Current.CancellationToken);

        var (code, stdout, stderr) = await Kubectl.RunAsync(stranger, fixture.TempPath, Kubectl.Default, "get", "pods", "-n", "payments");

        // What kubectl prints against a real cluster with an expired token: the 401 reaches it through discovery, whose
        // error is apimachinery's generic 401 message (errors.go NewGenericServerResponse), behind checkErr's prefix.
        Assert.True(code == 1, stdout + stderr);
        Assert.True(stderr.Contains("error: You must be logged in to the server (the server has asked for the client to provide credentials)", StringComparison.Ordinal), stderr);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Kubectl_refuses_the_server_without_the_labs_ca()
    {
        // Given the kubeconfig without its certificate-authority-data
        var untrusted = Path.Combine(fixture.TempPath, "untrusted.kubeconfig");
        var lines = (await File.ReadAllLinesAsync(fixture.KubeconfigPath, TestContext.Current.CancellationToken)).Where(l => !l.Contains("certificate-authority-data", StringComparison.Ordinal));
        await File.WriteAllLinesAsync(untrusted, lines, TestContext.Current.CancellationToken);

        var (code, stdout, stderr) = await Kubectl.RunAsync(untrusted, fixture.TempPath, Kubectl.Default, "get", "pods", "-n", "payments");

        Assert.True(code == 1, stdout + stderr);
        Assert.Contains("x509: certificate signed by unknown authority", stderr, StringComparison.Ordinal);
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
