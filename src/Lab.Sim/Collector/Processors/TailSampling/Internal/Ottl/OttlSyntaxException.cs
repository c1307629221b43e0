namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal.Ottl;

/// <summary>An OTTL condition the lab cannot parse or does not emulate; <see cref="Position"/> is 0-based in the condition.</summary>
internal sealed class OttlSyntaxException : Exception
{
    public OttlSyntaxException()
    {
    }

    public OttlSyntaxException(string message)
        : base(message)
    {
    }

    public OttlSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OttlSyntaxException(string message, int position)
        : base(message)
    {
        Position = position;
    }

    public int Position { get; }

    /// <summary>Valid OTTL (upstream would accept it) that the lab does not emulate, as opposed to a syntax error.</summary>
    public bool Unsupported { get; init; }

    public static OttlSyntaxException NotEmulated(string message, int position) => new(message, position) { Unsupported = true };
}
