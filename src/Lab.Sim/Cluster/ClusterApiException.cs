namespace OtelLab.Sim.Cluster;

/// <summary>
/// An error the simulated API server returns, with the HTTP status code, the reason (<c>NotFound</c>,
/// <c>Forbidden</c>, …) and the API server's message text.
/// </summary>
public sealed class ClusterApiException : Exception
{
    public ClusterApiException(int statusCode, string reason, string message)
        : base(message)
    {
        StatusCode = statusCode;
        Reason = reason;
    }

    public ClusterApiException()
        : this(500, "InternalError", "internal error")
    {
    }

    public ClusterApiException(string message)
        : this(500, "InternalError", message)
    {
    }

    public ClusterApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = 500;
        Reason = "InternalError";
    }

    public int StatusCode { get; }

    public string Reason { get; }

    internal static ClusterApiException NotFound(ResourceKind kind, string name) =>
        new(404, "NotFound", $"{kind.QualifiedResource} \"{name}\" not found");

    internal static ClusterApiException AlreadyExists(ResourceKind kind, string name) =>
        new(409, "AlreadyExists", $"{kind.QualifiedResource} \"{name}\" already exists");

    internal static ClusterApiException Forbidden(string message) => new(403, "Forbidden", message);

    internal static ClusterApiException Invalid(string message) => new(422, "Invalid", message);
}
