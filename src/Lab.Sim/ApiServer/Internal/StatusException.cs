using System.Text.Json.Nodes;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>A request refused with a complete <c>Status</c> body (details and causes included), written as is.</summary>
internal sealed class StatusException(JsonObject status) : Exception((string?)status["message"])
{
    public JsonObject Status { get; } = status;
}
