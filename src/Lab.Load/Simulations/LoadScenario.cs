namespace OtelLab.Load.Simulations;

/// <summary>
/// A load scenario in NBomber's sense: a name, one step invoked by every scenario copy, and the load simulations that
/// shape how often it is invoked, in sequence. Scenarios of one run go in parallel.
/// </summary>
public sealed record LoadScenario
{
    /// <summary>The scenario's name in the stats table (<c>trace</c>, <c>otlp</c>, <c>farm</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The step's name in the stats table (e.g. <c>POST /checkout</c>).</summary>
    public required string StepName { get; init; }

    /// <summary>One invocation. Must not throw for a failed request: return <see cref="StepResponse.Fail"/> (a throw is counted as a fail with the exception's type).</summary>
    public required Func<CancellationToken, Task<StepResponse>> Step { get; init; }

    public required IReadOnlyList<LoadSimulation> Simulations { get; init; }

    /// <summary>Lab time the simulations take together.</summary>
    public TimeSpan Duration => Simulations.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.During);
}
