using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OtelLab.Sim.Vault.Internal;

/// <summary>
/// Vault's HTTP API over <see cref="VaultCore"/>: <c>/v1/PATH</c>, verbs mapped to operations (GET read, GET
/// <c>?list=true</c> and LIST list, POST/PUT write, DELETE delete), the client token from <c>X-Vault-Token</c> or
/// <c>Authorization: Bearer</c>, JSON bodies, and Vault's response envelope. upstream: http/handler.go,
/// http/logical.go (buildLogicalRequest, respondLogical), http/sys_health.go (HealthResponse fields and codes).
/// </summary>
internal sealed class VaultHttpEndpoint(VaultCore core, VaultServerOptions options, ILogger logger)
{
    private readonly string _clusterId = Guid.NewGuid().ToString();
    private readonly string _clusterName = "vault-cluster-" + Guid.NewGuid().ToString("N")[..8];

    public async Task HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var path = context.Request.Path.Value ?? string.Empty;
        if (!path.StartsWith("/v1/", StringComparison.Ordinal))
        {
            await WriteAsync(context, 404, new JsonObject { ["errors"] = new JsonArray() }).ConfigureAwait(false);
            return;
        }

        var logicalPath = path["/v1/".Length..];
        if (logicalPath == "sys/health")
        {
            await WriteAsync(context, 200, Health(), head: HttpMethods.IsHead(context.Request.Method)).ConfigureAwait(false);
            return;
        }

        LogicalOperation operation;
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method))
        {
            operation = context.Request.Query["list"] is { Count: > 0 } list && list[0] is "true" or "1" ? LogicalOperation.List : LogicalOperation.Read;
        }
        else if (method == "LIST")
        {
            operation = LogicalOperation.List;
        }
        else if (HttpMethods.IsPost(method) || HttpMethods.IsPut(method))
        {
            operation = LogicalOperation.Update;
        }
        else if (HttpMethods.IsDelete(method))
        {
            operation = LogicalOperation.Delete;
        }
        else
        {
            await WriteAsync(context, 405, new JsonObject { ["errors"] = new JsonArray() }).ConfigureAwait(false);
            return;
        }

        JsonObject data;
        if (operation == LogicalOperation.Update)
        {
            var body = await ReadBodyAsync(context, cancellationToken).ConfigureAwait(false);
            if (body.Error is not null)
            {
                await WriteAsync(context, 400, Errors([body.Error])).ConfigureAwait(false);
                return;
            }

            data = body.Data!;
        }
        else
        {
            data = JsonStrings.Object(context.Request.Query.Select(q => KeyValuePair.Create(q.Key, q.Value.ToString())));
        }

        var request = new LogicalRequest(operation, logicalPath, data, ClientToken(context.Request));
        var response = await core.HandleAsync(request, cancellationToken).ConfigureAwait(false);
        logger.LogDebug("{Method} /v1/{Path} → {Status}", method, logicalPath, response.Status);
        if (response.Errors is not null)
        {
            await WriteAsync(context, response.Status, Errors(response.Errors)).ConfigureAwait(false);
        }
        else if (response.Status == 204 || (response.Data is null && response.Auth is null && response.Warnings is null))
        {
            context.Response.StatusCode = 204;
        }
        else
        {
            await WriteAsync(context, response.Status, Envelope(response)).ConfigureAwait(false);
        }
    }

    private static string? ClientToken(HttpRequest request)
    {
        var header = request.Headers["X-Vault-Token"].ToString();
        if (header.Length > 0)
        {
            return header;
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : null;
    }

    private static async Task<(JsonObject? Data, string? Error)> ReadBodyAsync(HttpContext context, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text))
        {
            return ([], null);
        }

        try
        {
            return JsonNode.Parse(text) is JsonObject obj
                ? (obj, null)
                : (null, "failed to parse JSON input: json: cannot unmarshal non-object into Go value of type map[string]interface {}");
        }
        catch (JsonException e)
        {
            // The parser's message describes the position, never echoes the (possibly secret) input.
            return (null, "failed to parse JSON input: " + e.Message);
        }
    }

    private JsonObject Envelope(LogicalResponse response) => new()
    {
        ["request_id"] = Guid.NewGuid().ToString(),
        ["lease_id"] = string.Empty,
        ["renewable"] = false,
        ["lease_duration"] = 0,
        ["data"] = response.Data?.DeepClone(),
        ["wrap_info"] = null,
        ["warnings"] = response.Warnings is null ? null : JsonStrings.Array(response.Warnings),
        ["auth"] = response.Auth?.DeepClone(),
        ["mount_type"] = response.MountType,
    };

    private static JsonObject Errors(IEnumerable<string> errors) =>
        new() { ["errors"] = JsonStrings.Array(errors) };

    private JsonObject Health() => new()
    {
        ["initialized"] = true,
        ["sealed"] = false,
        ["standby"] = false,
        ["performance_standby"] = false,
        ["replication_performance_mode"] = "disabled",
        ["replication_dr_mode"] = "disabled",
        ["server_time_utc"] = options.TimeProvider.GetUtcNow().ToUnixTimeSeconds(),
        ["version"] = options.Version,
        ["cluster_name"] = _clusterName,
        ["cluster_id"] = _clusterId,
    };

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body, bool head = false)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (!head)
        {
            // Go's json.Encoder ends the document with a newline.
            await context.Response.WriteAsync(body.ToJsonString() + "\n", context.RequestAborted).ConfigureAwait(false);
        }
    }
}
