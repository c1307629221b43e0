using System.Text.Json.Nodes;

namespace OtelLab.Sim.Vault.Internal;

/// <summary>
/// What a handler returns. With <see cref="Errors"/> the HTTP body is <c>{"errors":[…]}</c>; otherwise it is the full
/// response envelope (request_id, lease_id, renewable, lease_duration, data, wrap_info, warnings, auth, mount_type),
/// or no body at all for 204. upstream: sdk/logical/response_util.go RespondError, http/logical.go respondLogical.
/// </summary>
internal sealed class LogicalResponse
{
    /// <summary>Vault's word for an ACL denial: a one-item go-multierror. upstream: vault/request_handling.go checkToken.</summary>
    public const string AclDenied = "1 error occurred:\n\t* permission denied\n\n";

    public int Status { get; init; } = 200;

    public JsonNode? Data { get; init; }

    public JsonObject? Auth { get; init; }

    public IReadOnlyList<string>? Warnings { get; init; }

    public IReadOnlyList<string>? Errors { get; init; }

    public string MountType { get; init; } = string.Empty;

    public static LogicalResponse Ok(JsonNode? data, string mountType = "", IReadOnlyList<string>? warnings = null) =>
        new() { Data = data, MountType = mountType, Warnings = warnings };

    public static LogicalResponse NoContent() => new() { Status = 204 };

    /// <summary>A read of something that is not there: 404 with an empty error list.</summary>
    public static LogicalResponse NotFound() => new() { Status = 404, Errors = [] };

    public static LogicalResponse Error(int status, string message) => new() { Status = status, Errors = [message] };

    /// <summary><c>logical.ErrorResponse(…)</c> without a coded error: 400.</summary>
    public static LogicalResponse BadRequest(string message) => Error(400, message);
}
