using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OtelLab.Sim.Vault;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Vault;

/// <summary>
/// A running lab Vault on 127.0.0.1 (free port) with the cluster's token issuer, a manual clock and captured logs;
/// optionally set up from a scenario's vault: block. Talks to it over real HTTP.
/// </summary>
internal sealed class VaultHarness : IAsyncDisposable
{
    private VaultHarness(VaultServer server, ServiceAccountTokenIssuer issuer, ManualTimeProvider clock, CapturedLogs logs, VaultSetupResult? setup)
    {
        Server = server;
        Issuer = issuer;
        Clock = clock;
        Logs = logs;
        Setup = setup;
        Http = new HttpClient { BaseAddress = server.Address };
    }

    public VaultServer Server { get; }

    public ServiceAccountTokenIssuer Issuer { get; }

    public ManualTimeProvider Clock { get; }

    public CapturedLogs Logs { get; }

    public VaultSetupResult? Setup { get; }

    public HttpClient Http { get; }

    public string DynatraceToken => Setup!.Get("secret/data/observability/dynatrace", "token").Value;

    public string DatadogKey => Setup!.Get("secret/data/observability/datadog", "api_key").Value;

    /// <summary>Starts Vault; with <paramref name="scenario"/>, applies that scenario's vault: block.</summary>
    public static async Task<VaultHarness> StartAsync(string? scenario = "payments")
    {
        var issuer = new ServiceAccountTokenIssuer();
        var clock = new ManualTimeProvider();
        var logs = new CapturedLogs();
        var server = await VaultServer.StartAsync(new VaultServerOptions
        {
            Address = IPAddress.Loopback,
            Port = 0,
            TokenReviewer = new ServiceAccountTokenReviewer(issuer),
            TimeProvider = clock,
            LoggerFactory = logs,
        }, TestContext.Current.CancellationToken);
        VaultSetupResult? setup = null;
        if (scenario is not null)
        {
            var block = VaultBlock.Load(Path.Combine(RepoPaths.Scenario(scenario), "scenario.yaml"))!;
            setup = await VaultSetup.ApplyAsync(server, block, TestContext.Current.CancellationToken);
        }

        return new VaultHarness(server, issuer, clock, logs, setup);
    }

    public async Task<(HttpStatusCode Status, JsonObject? Body)> SendAsync(HttpMethod method, string path, string? token = null, JsonObject? body = null)
    {
        using var request = new HttpRequestMessage(method, "v1/" + path);
        if (token is not null)
        {
            request.Headers.Add("X-Vault-Token", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject);
    }

    /// <summary>Logs in through auth/kubernetes with a token minted for NAMESPACE/NAME.</summary>
    public Task<(HttpStatusCode Status, JsonObject? Body)> LoginAsync(string role, string serviceAccountNamespace, string serviceAccount) =>
        SendAsync(HttpMethod.Post, "auth/kubernetes/login", body: new JsonObject
        {
            ["role"] = role,
            ["jwt"] = Issuer.Issue(serviceAccountNamespace, serviceAccount),
        });

    /// <summary>The client token of a successful gateway login (role otel-collector).</summary>
    public async Task<string> GatewayTokenAsync()
    {
        var (status, body) = await LoginAsync("otel-collector", "observability", "otel-gateway-collector");
        Assert.Equal(HttpStatusCode.OK, status);
        return body!["auth"]!["client_token"]!.GetValue<string>();
    }

    /// <summary>Asserts an error answer: the status and exactly Vault's <c>errors</c> list.</summary>
    public static void AssertErrors((HttpStatusCode Status, JsonObject? Body) response, HttpStatusCode status, params string[] errors)
    {
        Assert.Equal(status, response.Status);
        Assert.Equal(errors, Errors(response.Body));
    }

    public static IReadOnlyList<string> Errors(JsonObject? body) =>
        body?["errors"] is JsonArray list ? list.Select(e => e!.GetValue<string>()).ToList() : [];

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        Issuer.Dispose();
    }
}
