namespace OtelLab.Sim.Collector.Pipeline;

/// <summary>
/// A component downstream refused data (upstream: the <c>error</c> a <c>consumer.Traces</c> returns — memory_limiter
/// over its limit, a full sending queue). The one exception allowed on the data path: receivers catch it, count the
/// items as refused and answer the client with a retryable (or, when <see cref="Permanent"/>, permanent) error.
/// </summary>
public sealed class ConsumerRefusedException(string message, bool permanent = false) : Exception(message)
{
    /// <summary>upstream <c>consumererror.IsPermanent</c>: HTTP 400 / gRPC InvalidArgument instead of 503 / Unavailable.</summary>
    public bool Permanent { get; } = permanent;
}
