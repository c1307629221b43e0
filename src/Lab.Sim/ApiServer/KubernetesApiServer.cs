using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OtelLab.Model.Diagnostics;
using OtelLab.Sim.ApiServer.Internal;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Networking;

namespace OtelLab.Sim.ApiServer;

/// <summary>
/// The simulated cluster's Kubernetes API on the wire: version, discovery, OpenAPI, and get/list/watch with Tables, so
/// kubectl and KubernetesClient talk to the sim as to a real cluster.
/// </summary>
/// <remarks>
/// HTTPS on a loopback address, with a CA the server makes for the run (in the kubeconfig as
/// <c>certificate-authority-data</c>): over <c>http://</c> kubectl sends no credentials at all (client-go
/// tools/clientcmd/client_config.go: "only try to read the auth information if we are secure"), so only https lets
/// the server refuse a request without them, as an API server with anonymous auth off does (401 Unauthorized). The
/// kubeconfig's admin user carries <see cref="AdminToken"/>; any other bearer token must be a ServiceAccount token
/// that <see cref="ServiceAccountTokens"/> accepts (else 401), and that ServiceAccount's requests are authorised by
/// the cluster's RBAC (else 403 with the API server's message). HTTP/1.1 only (ALPN): a real API server offers h2
/// too, and every client falls back; exec and port-forward upgrade HTTP/1.1 connections in any case.
/// </remarks>
public sealed class KubernetesApiServer : IAsyncDisposable
{
    /// <summary>The Kubernetes version the sim reports (kubectl's version-skew warnings compare against it).</summary>
    public const string GitVersion = "v1.32.0+otel-lab";

    private readonly WebApplication _app;
    private readonly WatchLog _watches;
    private readonly CancellationTokenSource _stopping;
    private readonly RequestIdentity _identity;
    private readonly ResourceHandlers _handlers;

    private readonly ServingCertificate _certificate;

    private KubernetesApiServer(WebApplication app, WatchLog watches, CancellationTokenSource stopping, Uri address, RequestIdentity identity, ResourceHandlers handlers, ServingCertificate certificate)
    {
        _certificate = certificate;
        Endpoint = new ApiServerEndpoint(address, certificate.CertificateAuthorityPem);
        _handlers = handlers;
        _identity = identity;
        AdminToken = identity.AdminToken;
        _app = app;
        _watches = watches;
        _stopping = stopping;
        Address = address;
    }

    /// <summary>The server URL for a kubeconfig, e.g. <c>https://127.0.0.1:41234</c>.</summary>
    public Uri Address { get; }

    /// <summary>The address and the CA a client verifies the server against.</summary>
    public ApiServerEndpoint Endpoint { get; }

    /// <summary>Reviews ServiceAccount bearer tokens (the lab's ServiceAccount token signer); null refuses every non-admin token.</summary>
    public Func<string, Vault.TokenReviewStatus>? ServiceAccountTokens
    {
        get => _identity.Reviewer;
        set => _identity.Reviewer = value;
    }

    /// <summary>The kubelets behind <c>pods/log</c>, <c>pods/exec</c> (set once the lab has started them; until then those answer "waiting to start").</summary>
    public Kubelet.NodeAgents? Nodes
    {
        get => _handlers.Nodes;
        set => _handlers.Nodes = value;
    }

    /// <summary>The CPU time its request handling used.</summary>
    public ComponentCpu Cpu { get; private init; } = new("kube-apiserver");

    /// <summary>The admin user's bearer token (random per server), written into the kubeconfig.</summary>
    public string AdminToken { get; }

    /// <summary>Starts serving <paramref name="cluster"/> on <paramref name="endpoint"/> (loopback only; port 0 picks a free port).</summary>
    public static async Task<KubernetesApiServer> StartAsync(SimulatedCluster cluster, IPEndPoint? endpoint = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        endpoint ??= new IPEndPoint(IPAddress.Loopback, 0);
        if (!IPAddress.IsLoopback(endpoint.Address))
        {
            throw new ArgumentException($"the lab binds loopback addresses only (127.0.0.0/8, ::1), not {endpoint.Address}", nameof(endpoint));
        }

        // Its requests (watches included) run for the API server (see ComponentCpu).
        var cpu = new ComponentCpu("kube-apiserver");
        ComponentCpu.Enter(cpu);
        var builder = LoopbackWebHost.CreateBuilder();
        builder.Logging.ClearProviders();
        var certificate = ServingCertificate.For(endpoint.Address, TimeProvider.System.GetUtcNow());
        builder.WebHost.ConfigureKestrel(options => options.Listen(endpoint, listen =>
        {
            listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1;
            listen.UseHttps(certificate.Certificate);
        }));
        var app = builder.Build();
        LoopbackWebHost.MeterRequests(app);
        var stopping = new CancellationTokenSource();
        var watches = new WatchLog(cluster);
        var served = ServedResource.For(cluster);
        var openApi = new OpenApiDocument(served, kind => Internal.Admission.CustomResourceSchemas.For(cluster, kind));
        var openApiV2 = new OpenApiV2Document(served, kind => Internal.Admission.CustomResourceSchemas.For(cluster, kind));
        var handlers = new ResourceHandlers(cluster, served, watches, stopping.Token);
        DiscoveryDocument? discovery = null;
        var identity = new RequestIdentity(Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant());
        app.UseWebSockets();
        app.Run(context =>
        {
            if (!identity.Authenticate(context))
            {
                // upstream: apiserver pkg/endpoints/filters/authentication.go — an unknown token is 401 "Unauthorized".
                return ResourceHandlers.WriteStatusAsync(context, StatusResponse.Failure(401, "Unauthorized", "Unauthorized"));
            }

            return ServeAsync(context, discovery!, openApi, openApiV2, handlers);
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var address = new Uri(bound.TrimEnd('/'));
        discovery = new DiscoveryDocument(served, $"{address.Host}:{address.Port}");
        return new KubernetesApiServer(app, watches, stopping, address, identity, handlers, certificate) { Cpu = cpu };
    }

    /// <summary>
    /// Compacts the watch history: every open watch ends with an ERROR event 410 Expired and a watch from an older
    /// resourceVersion is refused, as after an etcd compaction (reflectors re-list). Returns how many watches ended.
    /// </summary>
    public int ExpireWatches() => _watches.Expire();

    /// <summary>Watches being served now (kubectl's, Argo CD's, and the lab's own components' when they read over the wire).</summary>
    public int OpenWatches => _watches.Open;

    /// <summary>Writes a kubeconfig for this server (cluster, admin user, context "otel-lab") and returns its path.</summary>
    /// <param name="serviceAccounts">ServiceAccounts that get a context of their own, each with a token <see cref="ServiceAccountTokens"/> accepts.</param>
    public string WriteKubeconfig(string path, IReadOnlyList<(Model.Rbac.RbacSubject ServiceAccount, string Token)>? serviceAccounts = null) =>
        Kubeconfig.Write(path, Address, AdminToken, Endpoint.CertificateAuthorityPem, serviceAccounts);

    public async ValueTask DisposeAsync()
    {
        // End watch streams first: Kestrel's stop waits for running requests.
        await _stopping.CancelAsync().ConfigureAwait(false);
        _watches.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _certificate.Dispose();
    }

    private static async Task ServeAsync(HttpContext context, DiscoveryDocument discovery, OpenApiDocument openApi, OpenApiV2Document openApiV2, ResourceHandlers handlers)
    {
        var path = context.Request.Path.Value ?? "/";
        var accept = context.Request.Headers.Accept.ToString();
        switch (path.TrimEnd('/'))
        {
            case "/version":
                await ResourceHandlers.WriteJsonAsync(context, Version()).ConfigureAwait(false);
                return;
            case "/api" or "/apis":
                var core = path.TrimEnd('/') == "/api";
                if (DiscoveryDocument.AggregatedContentType(accept) is { } aggregated)
                {
                    await ResourceHandlers.WriteJsonAsync(context, discovery.Aggregated(core, aggregated), aggregated).ConfigureAwait(false);
                }
                else
                {
                    await ResourceHandlers.WriteJsonAsync(context, core ? discovery.ApiVersions() : discovery.GroupList()).ConfigureAwait(false);
                }

                return;
            case "/openapi/v2" or "/swagger-2.0.0.pb-v1":
                // upstream: kube-openapi pkg/handler/handler.go — protobuf when the Accept header asks for it, else JSON.
                if (OpenApiV2Document.WantsProtobuf(accept) || path.TrimEnd('/') == "/swagger-2.0.0.pb-v1")
                {
                    context.Response.ContentType = OpenApiV2Document.ProtobufContentType;
                    context.Response.ContentLength = openApiV2.Protobuf.Length;
                    await context.Response.Body.WriteAsync(openApiV2.Protobuf, context.RequestAborted).ConfigureAwait(false);
                }
                else
                {
                    await WriteTextAsync(context, 200, "application/json", openApiV2.Json).ConfigureAwait(false);
                }

                return;
            case "/openapi/v3":
                await WriteTextAsync(context, 200, "application/json", openApi.Root()).ConfigureAwait(false);
                return;
        }

        if (path.StartsWith("/openapi/v3/", StringComparison.Ordinal))
        {
            await ServeOpenApiAsync(context, openApi, path["/openapi/v3/".Length..].TrimEnd('/')).ConfigureAwait(false);
            return;
        }

        var segments = path.Trim('/').Split('/');
        var groupVersion = segments switch
        {
            ["api", var v] => (Group: string.Empty, Version: v),
            ["apis", var g, var v] => (Group: g, Version: v),
            _ => ((string Group, string Version)?)null,
        };
        if (groupVersion is { } gv)
        {
            var list = discovery.ResourceList(gv.Group, gv.Version);
            await (list is null
                ? ResourceHandlers.WriteStatusAsync(context, StatusResponse.Failure(404, "NotFound", "the server could not find the requested resource"))
                : ResourceHandlers.WriteJsonAsync(context, list)).ConfigureAwait(false);
            return;
        }

        if (segments is ["apis", var groupOnly])
        {
            // upstream: /apis/<group> is an APIGroup; kubectl does not need it, so it is served from the group list.
            var group = discovery.GroupList()["groups"]!.AsArray().FirstOrDefault(g => (string?)g!["name"] == groupOnly);
            if (group is not null)
            {
                var copy = group.DeepClone().AsObject();
                copy["kind"] = "APIGroup";
                copy["apiVersion"] = "v1";
                await ResourceHandlers.WriteJsonAsync(context, copy).ConfigureAwait(false);
                return;
            }
        }

        if (ApiRoute.Parse(path) is { } route)
        {
            await handlers.ServeAsync(context, route).ConfigureAwait(false);
            return;
        }

        await ResourceHandlers.WriteStatusAsync(context, StatusResponse.Failure(404, "NotFound", "the server could not find the requested resource")).ConfigureAwait(false);
    }

    // upstream: kube-openapi pkg/handler3/handler.go — a matching hash is immutable, a stale one redirects to the current.
    private static async Task ServeOpenApiAsync(HttpContext context, OpenApiDocument openApi, string groupVersion)
    {
        if (openApi.For(groupVersion) is not { } doc)
        {
            await WriteTextAsync(context, 404, "text/plain; charset=utf-8", "404 page not found\n").ConfigureAwait(false);
            return;
        }

        var hash = context.Request.Query["hash"].ToString();
        if (hash.Length > 0 && hash != doc.Hash)
        {
            context.Response.StatusCode = 301;
            context.Response.Headers.Location = $"/openapi/v3/{groupVersion}?hash={doc.Hash}";
            return;
        }

        context.Response.Headers.CacheControl = hash.Length > 0 ? "public, immutable" : "no-cache, private";
        context.Response.Headers.ETag = $"\"{doc.Hash}\"";
        await WriteTextAsync(context, 200, "application/json", doc.Json).ConfigureAwait(false);
    }

    private static async Task WriteTextAsync(HttpContext context, int status, string contentType, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        var bytes = Encoding.UTF8.GetBytes(text);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    // upstream: apimachinery pkg/version/types.go Info.
    private static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = GitVersion,
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "n/a (OTel Lab simulated API server)",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };
}
