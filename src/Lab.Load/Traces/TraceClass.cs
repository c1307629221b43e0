namespace OtelLab.Load.Traces;

/// <summary>What a generated trace is, for comparing with what tail sampling kept.</summary>
public enum TraceClass
{
    /// <summary>No error, under the slow threshold.</summary>
    Baseline,

    /// <summary>One span has status ERROR.</summary>
    Error,

    /// <summary>The root span lasts <see cref="TraceLoadOptions.SlowDuration"/>.</summary>
    Slow,
}
