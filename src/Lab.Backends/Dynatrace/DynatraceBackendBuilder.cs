using System.Collections.Immutable;
using System.Net;
using OtelLab.Backends.Hosting;

namespace OtelLab.Backends.Dynatrace;

/// <summary>
/// Immutable builder of a <see cref="DynatraceBackend"/> (Testcontainers style: every <c>With…</c> returns a new builder).
/// <code>await using var dt = new DynatraceBackendBuilder().WithToken(token).Build(); await dt.StartAsync();</code>
/// </summary>
public sealed record DynatraceBackendBuilder
{
    private ImmutableList<(string Token, IReadOnlyList<string> Scopes)> Tokens { get; init; } = [];

    private BackendListenOptions Listen { get; init; } = new();

    /// <summary>Accept <paramref name="token"/> with the given scopes (all three OTLP ingest scopes when none are given).</summary>
    public DynatraceBackendBuilder WithToken(string token, params string[] scopes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        return this with { Tokens = Tokens.Add((token, scopes.Length == 0 ? DynatraceScopes.AllOtlp : [.. scopes])) };
    }

    public DynatraceBackendBuilder WithAddress(IPAddress address) => this with { Listen = Listen with { Address = address } };

    public DynatraceBackendBuilder WithPort(int port) => this with { Listen = Listen with { Port = port } };

    public DynatraceBackendBuilder WithTimeProvider(TimeProvider time) => this with { Listen = Listen with { Time = time } };

    /// <summary>Bound of the capture store, per signal (items beyond it evict the oldest and are counted).</summary>
    public DynatraceBackendBuilder WithCaptureCapacity(int itemsPerSignal) => this with { Listen = Listen with { CapturePerSignal = itemsPerSignal } };

    public DynatraceBackend Build()
    {
        if (Tokens.IsEmpty)
        {
            throw new InvalidOperationException("A mock Dynatrace needs at least one API token: call WithToken(token, scopes…).");
        }

        return new DynatraceBackend(Tokens, Listen);
    }
}
