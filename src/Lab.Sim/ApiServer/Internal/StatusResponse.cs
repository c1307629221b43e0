using System.Text.Json.Nodes;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// A <c>Status</c> body. upstream: apimachinery pkg/api/errors/errors.go — <c>details.kind</c> holds the plural
/// resource for NotFound/AlreadyExists/Conflict/Forbidden, <c>details.group</c> the API group when non-empty.
/// </summary>
internal static class StatusResponse
{
    public static JsonObject Failure(int code, string reason, string message, string? name = null, string? group = null, string? kind = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (name is not null || kind is not null)
        {
            var details = new JsonObject();
            if (name is not null)
            {
                details["name"] = name;
            }

            if (!string.IsNullOrEmpty(group))
            {
                details["group"] = group;
            }

            if (kind is not null)
            {
                details["kind"] = kind;
            }

            status["details"] = details;
        }

        status["code"] = code;
        return status;
    }
}
