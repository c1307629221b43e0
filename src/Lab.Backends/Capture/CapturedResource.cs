using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Common.V1;

namespace OtelLab.Backends.Capture;

/// <summary>
/// What is common to every item of one request and one resource: who sent it (masked credential, peer address),
/// when, to which backend, and the resource attributes. Shared by reference between the items.
/// </summary>
public sealed class CapturedResource
{
    public required string Backend { get; init; }

    public required string ServiceName { get; init; }

    /// <summary>Resource attributes (OTLP resource, or Datadog tracer payload / series tags mapped to attributes).</summary>
    public required IReadOnlyList<KeyValue> Attributes { get; init; }

    public required CredentialFingerprint Credential { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    public string? PeerAddress { get; init; }

    public string SchemaUrl { get; init; } = "";

    internal static IReadOnlyList<KeyValue> Empty { get; } = new RepeatedField<KeyValue>();
}
