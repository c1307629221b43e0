namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary>
/// A tail_sampling configuration the collector would refuse (or crash on). Carries where in the YAML it is,
/// so callers can print <c>file:line:column</c>.
/// </summary>
public sealed class TailSamplingConfigException : Exception
{
    public TailSamplingConfigException()
    {
    }

    public TailSamplingConfigException(string message)
        : base(message)
    {
    }

    public TailSamplingConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TailSamplingConfigException(string message, string path, long line, long column)
        : base(message)
    {
        Path = path;
        Line = line;
        Column = column;
    }

    /// <summary>The key path inside the processor's config, e.g. <c>policies[1].status_code</c>.</summary>
    public string Path { get; } = string.Empty;

    /// <summary>1-based line in the YAML the config was read from (0 when unknown).</summary>
    public long Line { get; }

    /// <summary>1-based column (0 when unknown).</summary>
    public long Column { get; }

    /// <summary>How to fix it, when the lab knows.</summary>
    public string? Fix { get; init; }
}
