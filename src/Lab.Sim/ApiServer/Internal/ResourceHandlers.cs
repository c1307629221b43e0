using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Cluster.Internal;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// The REST verbs over the simulated cluster's store: get, list (label and field selectors), watch, with Tables for
/// <c>kubectl get</c> and <c>Status</c> errors. upstream: apiserver pkg/endpoints/handlers/{get,watch,response}.go.
/// </summary>
internal sealed partial class ResourceHandlers(SimulatedCluster cluster, IReadOnlyList<ServedResource> served, WatchLog watches, CancellationToken stopping)
{
    public const string TableContentType = "application/json;as=Table;v=v1;g=meta.k8s.io";

    private readonly TableConverter _tables = new(cluster);
    private readonly ListPager _pages = new(cluster);

    public async Task ServeAsync(HttpContext context, ApiRoute route)
    {
        var resource = served.FirstOrDefault(r => r.Kind.Group == route.Group && r.Kind.Version == route.Version && r.Kind.Resource == route.Resource);
        if (resource is null)
        {
            // upstream: apiserver pkg/endpoints/handlers/responsewriters/errors.go — an unknown path is a bare 404 NotFound.
            await WriteStatusAsync(context, StatusResponse.Failure(404, "NotFound", "the server could not find the requested resource")).ConfigureAwait(false);
            return;
        }

        var kind = resource.Kind;
        if (resource.Storage is { } storage)
        {
            // A version served beside the storage version: read and write the stored object through the conversion.
            ServeVersion(context, kind);
            kind = storage;

            // upstream: apiextensions-apiserver customresource_handler.go — a deprecated version's warning on every request.
            AddWarning(context, Conversion.CollectorV1Alpha1.DeprecationWarning);
        }

        var ns = kind.Namespaced ? route.Namespace : null;
        try
        {
            if (IsPodStream(route))
            {
                var access = RequestIdentity.SubjectOf(context) is { } who ? new ApiAccess(cluster, who) : null;
                await ServePodStreamAsync(context, route, ns ?? "default",
                    access is null ? null : (verb, sub) => access.AuthorizeSubresource(verb, kind, sub, route.Name!, ns)).ConfigureAwait(false);
                return;
            }

            if (RequestIdentity.SubjectOf(context) is { } subject)
            {
                // upstream: apiserver pkg/endpoints/request/requestinfo.go — the RBAC verb of the request.
                new ApiAccess(cluster, subject).Authorize(Verb(context.Request, route), kind, ns);
            }

            switch (context.Request.Method)
            {
                case "GET" when route.Name is null && IsWatch(context.Request):
                    await WatchAsync(context, kind, ns).ConfigureAwait(false);
                    break;
                case "GET" when route.Name is null:
                    await ListAsync(context, kind, ns).ConfigureAwait(false);
                    break;
                case "GET" or "PATCH" or "PUT" when route.Name is not null && route.Subresource == "scale":
                    await ScaleAsync(context, kind, ns ?? (kind.Namespaced ? "default" : null), route.Name).ConfigureAwait(false);
                    break;
                case "PUT" or "PATCH" when route.Name is not null && route.Subresource == "status":
                    await StatusAsync(context, kind, ns ?? (kind.Namespaced ? "default" : null), route.Name).ConfigureAwait(false);
                    break;
                case "GET" when route.Subresource is null or "status":
                    await GetAsync(context, kind, ns ?? (kind.Namespaced ? "default" : null), route.Name!).ConfigureAwait(false);
                    break;
                case "POST" when route.Name is null:
                    await CreateAsync(context, kind, ns).ConfigureAwait(false);
                    break;
                case "PUT" when route.Name is not null && route.Subresource is null:
                    await ReplaceAsync(context, kind, ns, route.Name).ConfigureAwait(false);
                    break;
                case "PATCH" when route.Name is not null && route.Subresource is null:
                    await PatchAsync(context, kind, ns, route.Name).ConfigureAwait(false);
                    break;
                case "DELETE" when route.Name is not null && route.Subresource is null:
                    await DeleteAsync(context, kind, ns, route.Name).ConfigureAwait(false);
                    break;
                default:
                    await WriteStatusAsync(context, StatusResponse.Failure(405, "MethodNotAllowed",
                        $"the server does not allow this method on the requested resource")).ConfigureAwait(false);
                    break;
            }
        }
        catch (ClusterApiException e)
        {
            await WriteStatusAsync(context, StatusResponse.Failure(e.StatusCode, e.Reason, e.Message)).ConfigureAwait(false);
        }
        catch (StatusException e)
        {
            await WriteStatusAsync(context, e.Status).ConfigureAwait(false);
        }
    }

    public static async Task WriteJsonAsync(HttpContext context, JsonNode body, string contentType = "application/json", int status = 200)
    {
        body = AsServed(context, body);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        var bytes = Encoding.UTF8.GetBytes(GoJson.Serialize(body));
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteTextLineAsync(HttpContext context, string line)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), context.RequestAborted).ConfigureAwait(false);
    }

    public static Task WriteStatusAsync(HttpContext context, JsonObject status) =>
        WriteJsonAsync(context, status, status: (int)status["code"]!);

    private static string Verb(HttpRequest request, ApiRoute route) => request.Method switch
    {
        "GET" when route.Name is null => IsWatch(request) ? "watch" : "list",
        "GET" => "get",
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => route.Name is null ? "deletecollection" : "delete",
        _ => request.Method.ToLowerInvariant(),
    };

    private static bool IsWatch(HttpRequest request) =>
        request.Query["watch"].ToString() is "1" or "true" or "True";

    /// <summary>Whether the client asked for server-side printing (kubectl get; pkg/cmd/get/get.go transformRequests).</summary>
    private static bool WantsTable(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    private async Task GetAsync(HttpContext context, ResourceKind kind, string? ns, string name)
    {
        var o = cluster.GetStored(kind, ns, name);
        if (o is null)
        {
            await WriteStatusAsync(context, NotFound(kind, name)).ConfigureAwait(false);
            return;
        }

        if (WantsTable(context.Request))
        {
            var table = _tables.Convert(kind, [o], long.Parse(o.Metadata.ResourceVersion, CultureInfo.InvariantCulture), context.Request.Query["includeObject"]);
            await WriteJsonAsync(context, table, TableContentType).ConfigureAwait(false);
            return;
        }

        await WriteJsonAsync(context, ObjectJson.Render(o, cluster)).ConfigureAwait(false);
    }

    private async Task ListAsync(HttpContext context, ResourceKind kind, string? ns)
    {
        var query = context.Request.Query;
        var filter = Filter(context.Request, kind, ns);
        var selecting = !string.IsNullOrEmpty(query["labelSelector"]) || !string.IsNullOrEmpty(query["fieldSelector"]);
        var page = _pages.Read(kind, ns, filter, selecting, query["limit"], query["continue"], query["resourceVersion"]);
        var metadata = new JsonObject { ["resourceVersion"] = page.ResourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (page.Continue is { } next)
        {
            metadata["continue"] = next;
        }

        if (page.RemainingItemCount is { } remaining)
        {
            metadata["remainingItemCount"] = remaining;
        }

        if (WantsTable(context.Request))
        {
            var table = _tables.Convert(kind, page.Items, page.ResourceVersion, query["includeObject"]);
            table["metadata"] = metadata;
            await WriteJsonAsync(context, table, TableContentType).ConfigureAwait(false);
            return;
        }

        // List items carry kind and apiVersion here; client-go and KubernetesClient accept both forms.
        var list = new JsonObject
        {
            ["kind"] = kind.Kind + "List",
            ["apiVersion"] = kind.ApiVersion,
            ["metadata"] = metadata,
            ["items"] = new JsonArray([.. page.Items.Select(o => (JsonNode)ObjectJson.Render(o, cluster))]),
        };
        await WriteJsonAsync(context, list).ConfigureAwait(false);
    }

    /// <summary>
    /// A chunked stream of <c>{"type":…,"object":…}</c> lines, one flush per event (apiserver handlers/watch.go); Table
    /// objects when asked for (the first with column definitions; handlers/response.go watchEmbeddedEncoder).
    /// </summary>
    private async Task WatchAsync(HttpContext context, ResourceKind kind, string? ns)
    {
        var filter = Filter(context.Request, kind, ns);
        ChannelReader<WatchEntry> reader;
        try
        {
            reader = watches.Subscribe(kind, filter, context.Request.Query["resourceVersion"]);
        }
        catch (ClusterApiException e) when (e.StatusCode == 410)
        {
            // upstream: apiserver storage/cacher/cacher.go Watch — once the resourceVersion parsed, a too-old one fails
            // "with a watch event of type ERROR, rather than a directly returned error": 200, one ERROR event, end.
            var error = new JsonObject { ["type"] = "ERROR", ["object"] = StatusResponse.Failure(410, e.Reason, e.Message) };
            await WriteTextLineAsync(context, GoJson.Serialize(error) + "\n").ConfigureAwait(false);
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        if (int.TryParse(context.Request.Query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        var table = WantsTable(context.Request);
        var columnsSent = false;
        var bookmarks = context.Request.Query["allowWatchBookmarks"] == "true" && !table;
        var deadline = seconds > 0 ? TimeProvider.System.GetTimestamp() + (long)(seconds * TimeProvider.System.TimestampFrequency) : (long?)null;
        var nextBookmark = NextBookmark(deadline);
        context.Response.StatusCode = 200;
        context.Response.ContentType = table ? TableContentType : "application/json";
        await context.Response.StartAsync(timeout.Token).ConfigureAwait(false);

        // Headers go out now, before any event: a client waiting for the response (client-go's watch) must not block.
        await context.Response.Body.FlushAsync(timeout.Token).ConfigureAwait(false);
        try
        {
            while (true)
            {
                if (!reader.TryRead(out var e))
                {
                    if (!bookmarks)
                    {
                        if (!await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
                        {
                            break;
                        }

                        continue;
                    }

                    if (await WaitOrBookmarkDueAsync(reader, nextBookmark, timeout.Token).ConfigureAwait(false) is { } more)
                    {
                        if (!more)
                        {
                            break;
                        }

                        continue;
                    }

                    if (watches.BookmarkVersion(reader) is { } version)
                    {
                        await WriteBookmarkAsync(context, kind, version, timeout.Token).ConfigureAwait(false);
                    }

                    // The bookmark before the deadline is sent once: its timer can fire a little before it is due, and
                    // asking again for "2 s before the deadline" would then send a second one at once. After it only
                    // the per-minute one is left (the stream ends first). Due or not sent, the next one is rescheduled.
                    nextBookmark = NextBookmark(deadline is { } end && nextBookmark == DeadlineBookmark(end) ? null : deadline);
                    continue;
                }

                JsonNode body;
                if (table)
                {
                    body = _tables.Convert(kind, [e.Object], e.ResourceVersion, context.Request.Query["includeObject"], withColumns: !columnsSent);
                    columnsSent = true;
                }
                else
                {
                    var o = ObjectJson.Render(e.Object, cluster);
                    if (e.Type == WatchEventType.Deleted)
                    {
                        // A delete is reported at the resourceVersion of the delete itself.
                        o["metadata"]!["resourceVersion"] = e.ResourceVersion.ToString(CultureInfo.InvariantCulture);
                    }

                    body = o;
                }

                var line = GoJson.Serialize(new JsonObject { ["type"] = e.Type.ToString().ToUpperInvariant(), ["object"] = AsServed(context, body) }) + "\n";
                await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), timeout.Token).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(timeout.Token).ConfigureAwait(false);
            }
        }
        catch (ClusterApiException e) when (e.StatusCode == 410)
        {
            // The history this watch stood on was compacted away: one ERROR event, then the stream ends.
            var error = new JsonObject { ["type"] = "ERROR", ["object"] = StatusResponse.Failure(410, e.Reason, e.Message) };
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(GoJson.Serialize(error) + "\n"), context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // timeoutSeconds elapsed, the client went away or the server stops: the stream ends, as upstream's does.
        }
        finally
        {
            watches.Unsubscribe(reader);
        }
    }

    // upstream: apiserver pkg/storage/cacher/cache_watcher.go nextBookmarkTime — a bookmark every minute
    // (bookmarkFrequency), and one 2 s before the watch's deadline so the client re-watches from a recent version.
    private static long NextBookmark(long? deadline)
    {
        var now = TimeProvider.System.GetTimestamp();
        var frequency = TimeProvider.System.TimestampFrequency;
        var next = now + (60 * frequency);
        if (deadline is { } end && DeadlineBookmark(end) > now)
        {
            next = Math.Min(next, DeadlineBookmark(end));
        }

        return next;
    }

    private static long DeadlineBookmark(long deadline) => deadline - (2 * TimeProvider.System.TimestampFrequency);

    // Null when the bookmark is due, else whether the stream has more to read.
    private static async Task<bool?> WaitOrBookmarkDueAsync(ChannelReader<WatchEntry> reader, long due, CancellationToken cancellationToken)
    {
        var left = TimeProvider.System.GetElapsedTime(TimeProvider.System.GetTimestamp(), due);
        if (left <= TimeSpan.Zero)
        {
            return null;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(left);
        try
        {
            return await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    // upstream: a BOOKMARK carries only the kind and metadata.resourceVersion (apiserver watch_cache.go).
    private static async Task WriteBookmarkAsync(HttpContext context, ResourceKind kind, long version, CancellationToken cancellationToken)
    {
        var o = new JsonObject
        {
            ["kind"] = kind.Kind,
            ["apiVersion"] = kind.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) },
        };
        var line = GoJson.Serialize(new JsonObject { ["type"] = "BOOKMARK", ["object"] = o }) + "\n";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), cancellationToken).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Func<StoredObject, bool> Filter(HttpRequest request, ResourceKind kind, string? ns)
    {
        var labels = request.Query["labelSelector"].ToString();
        var labelSelector = string.IsNullOrEmpty(labels) ? null : ParseLabels(labels);
        var fields = FieldSelector.Parse(request.Query["fieldSelector"], kind);
        return o => (ns is null || o.Namespace == ns) && (labelSelector is null || labelSelector.Matches(o.Metadata.Labels)) && fields.Matches(o);
    }

    // upstream: apiserver pkg/endpoints/handlers/get.go — a selector that does not parse is a 400 BadRequest.
    private static LabelSelector ParseLabels(string text)
    {
        try
        {
            return LabelSelector.Parse(text);
        }
        catch (ClusterApiException e)
        {
            throw new ClusterApiException(400, "BadRequest", e.Message);
        }
    }

    /// <summary><c>pods "x" not found</c> with details.kind the plural resource (apimachinery pkg/api/errors/errors.go NewNotFound).</summary>
    public static JsonObject NotFound(ResourceKind kind, string name) =>
        StatusResponse.Failure(404, "NotFound", $"{kind.QualifiedResource} \"{name}\" not found", name, kind.Group, kind.Resource);
}
