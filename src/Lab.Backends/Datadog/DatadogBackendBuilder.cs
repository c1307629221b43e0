using System.Collections.Immutable;
using System.Net;
using OtelLab.Backends.Hosting;

namespace OtelLab.Backends.Datadog;

/// <summary>Immutable builder of a <see cref="DatadogBackend"/>; every <c>With…</c> returns a new builder.</summary>
public sealed record DatadogBackendBuilder
{
    private ImmutableList<string> ApiKeys { get; init; } = [];

    private BackendListenOptions Listen { get; init; } = new();

    /// <summary>Accept <paramref name="apiKey"/> (the exporter's <c>api.key</c>; Datadog keys are 32 hex digits).</summary>
    public DatadogBackendBuilder WithApiKey(string apiKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        return this with { ApiKeys = ApiKeys.Add(apiKey) };
    }

    public DatadogBackendBuilder WithAddress(IPAddress address) => this with { Listen = Listen with { Address = address } };

    public DatadogBackendBuilder WithPort(int port) => this with { Listen = Listen with { Port = port } };

    public DatadogBackendBuilder WithTimeProvider(TimeProvider time) => this with { Listen = Listen with { Time = time } };

    public DatadogBackendBuilder WithCaptureCapacity(int itemsPerSignal) => this with { Listen = Listen with { CapturePerSignal = itemsPerSignal } };

    public DatadogBackend Build()
    {
        if (ApiKeys.IsEmpty)
        {
            throw new InvalidOperationException("A mock Datadog needs at least one API key: call WithApiKey(key).");
        }

        return new DatadogBackend(ApiKeys, Listen);
    }
}
