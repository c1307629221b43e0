using System.Globalization;

namespace OtelLab.Load.Simulations;

/// <summary>
/// One phase of a load scenario, in NBomber's terms (NBomber's <c>LoadSimulation</c>: RampingConstant, KeepConstant,
/// RampingInject, Inject, Pause). Open model (inject): <c>rate</c> invocations start every <c>interval</c> whether or
/// not earlier ones finished. Closed model (constant): <c>copies</c> concurrent copies each run the step in a loop.
/// A scenario's simulations run in sequence; every duration is lab time (the lab clock's pacing).
/// </summary>
public abstract record LoadSimulation
{
    /// <summary>How long the phase lasts (lab time).</summary>
    public required TimeSpan During { get; init; }

    /// <summary>Where the phase came from (scenario.yaml:line), for messages; null when built in code.</summary>
    public string? Source { get; init; }

    /// <summary>NBomber's name of the simulation (<c>inject</c>, <c>rampingInject</c>, …).</summary>
    public abstract string Kind { get; }

    public sealed override string ToString() => Kind + "(" + Describe() + ")";

    protected abstract string Describe();

    protected static string Seconds(TimeSpan t) => GoLike(t);

    private static string GoLike(TimeSpan t) => t.TotalSeconds >= 1 && t.TotalSeconds % 1 == 0
        ? t.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s"
        : t.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
}

/// <summary>NBomber's <c>Inject(rate, interval, during)</c>: <see cref="Rate"/> invocations every <see cref="Interval"/> (open model).</summary>
public sealed record InjectSimulation : LoadSimulation
{
    public required double Rate { get; init; }

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    public override string Kind => "inject";

    protected override string Describe() => string.Create(CultureInfo.InvariantCulture, $"rate: {Rate}, interval: {Seconds(Interval)}, during: {Seconds(During)}");
}

/// <summary>
/// NBomber's <c>RampingInject(rate, interval, during)</c>: the injection rate moves linearly from the previous phase's
/// rate (0 at the start) to <see cref="Rate"/> over <see cref="LoadSimulation.During"/>.
/// </summary>
public sealed record RampingInjectSimulation : LoadSimulation
{
    public required double Rate { get; init; }

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    public override string Kind => "rampingInject";

    protected override string Describe() => string.Create(CultureInfo.InvariantCulture, $"rate: {Rate}, interval: {Seconds(Interval)}, during: {Seconds(During)}");
}

/// <summary>NBomber's <c>KeepConstant(copies, during)</c>: <see cref="Copies"/> concurrent copies, each looping the step (closed model).</summary>
public sealed record KeepConstantSimulation : LoadSimulation
{
    public required int Copies { get; init; }

    public override string Kind => "keepConstant";

    protected override string Describe() => string.Create(CultureInfo.InvariantCulture, $"copies: {Copies}, during: {Seconds(During)}");
}

/// <summary>NBomber's <c>RampingConstant(copies, during)</c>: copies move linearly from the previous phase's count (0 at the start) to <see cref="Copies"/>.</summary>
public sealed record RampingConstantSimulation : LoadSimulation
{
    public required int Copies { get; init; }

    public override string Kind => "rampingConstant";

    protected override string Describe() => string.Create(CultureInfo.InvariantCulture, $"copies: {Copies}, during: {Seconds(During)}");
}

/// <summary>NBomber's <c>Pause(during)</c>: nothing is started for <see cref="LoadSimulation.During"/>.</summary>
public sealed record PauseSimulation : LoadSimulation
{
    public override string Kind => "pause";

    protected override string Describe() => Seconds(During);
}
