using OtelLab.Load.Traces;

namespace OtelLab.Load.Requests;

/// <summary>What an <see cref="HttpLoadDriver"/> run sent and got back.</summary>
public sealed record HttpLoadReport
{
    public required long Requests { get; init; }

    /// <summary>Responses by HTTP status code.</summary>
    public required IReadOnlyDictionary<int, long> ByStatus { get; init; }

    /// <summary>Requests without a response, by reason (<c>connect ConnectionRefused</c>, <c>timeout</c>, …).</summary>
    public required IReadOnlyDictionary<string, long> Failures { get; init; }

    public required LatencySummary Latency { get; init; }

    public required TimeSpan Elapsed { get; init; }

    public long ServerErrors => ByStatus.Where(kv => kv.Key >= 500).Sum(kv => kv.Value);
}
