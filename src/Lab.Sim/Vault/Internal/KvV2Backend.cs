using System.Globalization;
using System.Text.Json.Nodes;

namespace OtelLab.Sim.Vault.Internal;

/// <summary>
/// KV version 2 mounted at <c>secret/</c>, as <c>vault server -dev</c> does. Every write adds a version; delete
/// soft-deletes the latest version (a later read answers 404 with the version metadata); a read of a path never
/// written answers 404 <c>{"errors":[]}</c>. upstream: hashicorp/vault-plugin-secrets-kv path_data.go
/// (pathDataRead, pathDataWrite, validateCheckAndSetOption, pathDataDelete) and path_metadata.go
/// ptypesTimestampToString (RFC 3339 with nanoseconds, "" for no time).
/// </summary>
internal sealed class KvV2Backend(TimeProvider time)
{
    public const string Mount = "secret/";
    public const string MountType = "kv";
    private const string DataPrefix = Mount + "data/";

    private const string InvalidPath = "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API " +
                                       "endpoints to use. If using the Vault CLI, use 'vault kv get' for this operation.";

    private readonly Dictionary<string, List<KvVersion>> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>
    /// <c>secret/x</c> → <c>secret/data/x</c>: the KV v2 API path for a path written without the <c>data/</c> segment,
    /// as <c>vault kv</c> and consul-template do. upstream: consul-template dependency/vault_common.go
    /// addPrefixToVKVPath ("Don't add /data/ to the path if it's been added manually").
    /// </summary>
    public static string ApiPath(string path)
    {
        path = path.Trim('/');
        return path.StartsWith(Mount, StringComparison.Ordinal) && !path.StartsWith(DataPrefix, StringComparison.Ordinal)
            ? DataPrefix + path[Mount.Length..]
            : path;
    }

    public static bool Handles(string path) => path.StartsWith(Mount, StringComparison.Ordinal) || path == "secret";

    /// <summary>The key under <c>data/</c>, or null when the path is not a data path.</summary>
    public static string? DataKey(string path) =>
        path.StartsWith(DataPrefix, StringComparison.Ordinal) && path.Length > DataPrefix.Length && !path.EndsWith('/')
            ? path[DataPrefix.Length..]
            : null;

    /// <summary>upstream: dataExistenceCheck — decides create vs update for the ACL check.</summary>
    public bool Exists(string path)
    {
        var key = DataKey(path);
        lock (_lock)
        {
            return key is not null && _entries.ContainsKey(key);
        }
    }

    public LogicalResponse Handle(LogicalRequest request)
    {
        var key = DataKey(request.Path);
        if (key is null)
        {
            return new LogicalResponse { Status = 404, Warnings = [InvalidPath], MountType = MountType };
        }

        return request.Operation switch
        {
            LogicalOperation.Read => Read(key, request.Data),
            LogicalOperation.Create or LogicalOperation.Update => Write(key, request.Data),
            LogicalOperation.Delete => Delete(key),
            _ => LogicalResponse.Error(405, "1 error occurred:\n\t* unsupported operation\n\n"),
        };
    }

    private LogicalResponse Read(string key, JsonObject query)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var versions))
            {
                return LogicalResponse.NotFound();
            }

            var number = versions.Count;
            if (query["version"] is JsonValue v && int.TryParse(v.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var wanted) && wanted > 0)
            {
                number = wanted;
            }

            if (number > versions.Count)
            {
                return LogicalResponse.NotFound();
            }

            var version = versions[number - 1];
            var gone = version.Destroyed || (version.DeletedAt is { } d && d <= time.GetUtcNow());
            var data = new JsonObject
            {
                ["data"] = gone ? null : version.Data.DeepClone(),
                ["metadata"] = Metadata(version, number),
            };

            // upstream: a deleted or destroyed version answers 404 and still carries its metadata.
            return new LogicalResponse { Status = gone ? 404 : 200, Data = data, MountType = MountType };
        }
    }

    private LogicalResponse Write(string key, JsonObject body)
    {
        if (body["data"] is not JsonObject data)
        {
            return LogicalResponse.BadRequest("no data provided");
        }

        lock (_lock)
        {
            _entries.TryGetValue(key, out var versions);
            if (body["options"] is JsonObject options && options["cas"] is JsonValue cas)
            {
                if (!long.TryParse(cas.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var expected))
                {
                    return LogicalResponse.BadRequest("error parsing check-and-set parameter");
                }

                if (expected != (versions?.Count ?? 0))
                {
                    return LogicalResponse.BadRequest("check-and-set parameter did not match the current version");
                }
            }

            versions ??= _entries[key] = [];
            var version = new KvVersion((JsonObject)data.DeepClone(), time.GetUtcNow());
            versions.Add(version);
            return LogicalResponse.Ok(Metadata(version, versions.Count), MountType);
        }
    }

    private LogicalResponse Delete(string key)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var versions) && versions[^1].DeletedAt is null)
            {
                versions[^1] = versions[^1] with { DeletedAt = time.GetUtcNow() };
            }
        }

        return LogicalResponse.NoContent();
    }

    private static JsonObject Metadata(KvVersion version, int number) => new()
    {
        ["created_time"] = Timestamp(version.CreatedAt),
        ["custom_metadata"] = null,
        ["deletion_time"] = version.DeletedAt is { } d ? Timestamp(d) : string.Empty,
        ["destroyed"] = version.Destroyed,
        ["version"] = number,
    };

    /// <summary>Go's RFC3339Nano: UTC, fraction without trailing zeros, no fraction when zero.</summary>
    internal static string Timestamp(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.') + "Z";

    private sealed record KvVersion(JsonObject Data, DateTimeOffset CreatedAt, DateTimeOffset? DeletedAt = null, bool Destroyed = false);
}
