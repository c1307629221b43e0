using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OtelLab.Backends.ServiceNow.Internal;

/// <summary>
/// The Table API routes (ServiceNow docs c_TableAPI.md): <c>GET/POST /api/now/table/{table}</c>,
/// <c>GET/PUT/PATCH /api/now/table/{table}/{sys_id}</c>, also under <c>/api/now/v1|v2/</c>. Responses use the
/// <c>{"result": …}</c> envelope with string values; errors <c>{"error":{message,detail},"status":"failure"}</c>.
/// </summary>
internal sealed class TableApiEndpoints(ServiceNowTables tables, IReadOnlyDictionary<string, string> users)
{
    public void Map(WebApplication app)
    {
        foreach (var prefix in new[] { "/api/now/table", "/api/now/v1/table", "/api/now/v2/table" })
        {
            // RequestDelegates (not minimal-API parameter binding): the host is an empty builder with routing only.
            app.MapGet(prefix + "/{table}", c => ListAsync(c, Route(c, "table")));
            app.MapPost(prefix + "/{table}", c => CreateAsync(c, Route(c, "table")));
            app.MapGet(prefix + "/{table}/{sysId}", c => GetAsync(c, Route(c, "table"), Route(c, "sysId")));
            app.MapMethods(prefix + "/{table}/{sysId}", ["PATCH", "PUT"], c => UpdateAsync(c, Route(c, "table"), Route(c, "sysId")));
        }
    }

    private static string Route(HttpContext http, string key) => http.GetRouteValue(key) as string ?? string.Empty;

    private async Task ListAsync(HttpContext http, string table)
    {
        if (await RefuseAsync(http, table).ConfigureAwait(false) is null)
        {
            return;
        }

        var q = http.Request.Query;
        var (groups, order, _) = EncodedQuery.Parse(q["sysparm_query"]);
        var plain = q.Where(kv => !kv.Key.StartsWith("sysparm_", StringComparison.Ordinal))
            .Select(kv => (IReadOnlyList<Condition>)[new Condition(kv.Key, "=", kv.Value.ToString())]);
        var rows = tables.Query(table, [.. groups, .. plain], order);
        var offset = Math.Max(0, Int(q["sysparm_offset"], 0));
        var limit = Math.Max(0, Int(q["sysparm_limit"], 10000));
        http.Response.Headers["X-Total-Count"] = rows.Count.ToString(CultureInfo.InvariantCulture);
        if (offset + limit < rows.Count)
        {
            var next = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.Path}?sysparm_offset={offset + limit}&sysparm_limit={limit}";
            http.Response.Headers.Link = $"<{next}>;rel=\"next\"";
        }

        var result = new JsonArray([.. rows.Skip(offset).Take(limit).Select(r => Render(r, q["sysparm_fields"]))]);
        await WriteAsync(http, StatusCodes.Status200OK, new JsonObject { ["result"] = result }).ConfigureAwait(false);
    }

    private async Task GetAsync(HttpContext http, string table, string sysId)
    {
        if (await RefuseAsync(http, table).ConfigureAwait(false) is null)
        {
            return;
        }

        if (tables.Get(table, sysId) is not { } row)
        {
            await NotFoundAsync(http).ConfigureAwait(false);
            return;
        }

        await WriteAsync(http, StatusCodes.Status200OK, new JsonObject { ["result"] = Render(row, http.Request.Query["sysparm_fields"]) }).ConfigureAwait(false);
    }

    private async Task CreateAsync(HttpContext http, string table)
    {
        if (await RefuseAsync(http, table).ConfigureAwait(false) is not { } user)
        {
            return;
        }

        if (await BodyAsync(http).ConfigureAwait(false) is not { } fields)
        {
            return;
        }

        var row = tables.Insert(table, fields, user);
        http.Response.Headers.Location = $"{http.Request.Scheme}://{http.Request.Host}/api/now/table/{table}/{row["sys_id"]}";
        await WriteAsync(http, StatusCodes.Status201Created, new JsonObject { ["result"] = Render(row, default) }).ConfigureAwait(false);
    }

    private async Task UpdateAsync(HttpContext http, string table, string sysId)
    {
        if (await RefuseAsync(http, table).ConfigureAwait(false) is not { } user)
        {
            return;
        }

        if (await BodyAsync(http).ConfigureAwait(false) is not { } fields)
        {
            return;
        }

        try
        {
            if (tables.Update(table, sysId, fields, user) is not { } row)
            {
                await NotFoundAsync(http).ConfigureAwait(false);
                return;
            }

            await WriteAsync(http, StatusCodes.Status200OK, new JsonObject { ["result"] = Render(row, default) }).ConfigureAwait(false);
        }
        catch (TableRuleException e)
        {
            await ErrorAsync(http, StatusCodes.Status403Forbidden, e.Message, e.Detail).ConfigureAwait(false);
        }
    }

    /// <summary>Authenticates (basic auth) and checks the table; returns the user, or null after writing the error.</summary>
    private async Task<string?> RefuseAsync(HttpContext http, string table)
    {
        if (!Authenticated(http.Request.Headers.Authorization.ToString(), out var user))
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"Service-now\"";
            await ErrorAsync(http, StatusCodes.Status401Unauthorized, "User Not Authenticated", "Required to provide Auth information").ConfigureAwait(false);
            return null;
        }

        if (!ServiceNowTables.Served.Contains(table))
        {
            // UNCONFIRMED body (seen only in client code): 400 "Invalid table <t>".
            await ErrorAsync(http, StatusCodes.Status400BadRequest, $"Invalid table {table}", null).ConfigureAwait(false);
            return null;
        }

        return user;
    }

    private bool Authenticated(string header, out string user)
    {
        user = string.Empty;
        if (!AuthenticationHeaderValue.TryParse(header, out var value) || !string.Equals(value.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || value.Parameter is null)
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !users.TryGetValue(decoded[..colon], out var password))
        {
            return false;
        }

        user = decoded[..colon];
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(decoded[(colon + 1)..]));
    }

    private static async Task<Dictionary<string, string>?> BodyAsync(HttpContext http)
    {
        try
        {
            var node = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted).ConfigureAwait(false);
            // Several records posted: only the first is processed (Table API docs).
            var obj = node as JsonObject ?? (node as JsonArray)?.OfType<JsonObject>().FirstOrDefault();
            if (obj is null)
            {
                await ErrorAsync(http, StatusCodes.Status400BadRequest, "Exception while reading request", "The payload is not valid JSON.").ConfigureAwait(false);
                return null;
            }

            return obj.Where(kv => kv.Value is JsonValue).ToDictionary(kv => kv.Key, kv => kv.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : kv.Value!.ToJsonString(), StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            await ErrorAsync(http, StatusCodes.Status400BadRequest, "Exception while reading request", "The payload is not valid JSON.").ConfigureAwait(false);
            return null;
        }
    }

    private static JsonObject Render(IReadOnlyDictionary<string, string> row, Microsoft.Extensions.Primitives.StringValues fields)
    {
        var wanted = fields.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new JsonObject(row.Where(kv => wanted.Length == 0 || wanted.Contains(kv.Key)).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
    }

    private static int Int(Microsoft.Extensions.Primitives.StringValues value, int fallback) =>
        int.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : fallback;

    private static Task NotFoundAsync(HttpContext http) =>
        ErrorAsync(http, StatusCodes.Status404NotFound, "No Record found", "Record doesn't exist or ACL restricts the record retrieval");

    private static Task ErrorAsync(HttpContext http, int status, string message, string? detail) =>
        WriteAsync(http, status, new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["detail"] = detail }, ["status"] = "failure" });

    private static async Task WriteAsync(HttpContext http, int status, JsonObject body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json;charset=UTF-8";
        await http.Response.WriteAsync(body.ToJsonString(), http.RequestAborted).ConfigureAwait(false);
    }
}
