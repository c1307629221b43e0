namespace OtelLab.Sim.Collector.Traces;

/// <summary>OTLP/JSON the lab cannot read: broken JSON (with line/column) or a field of the wrong shape (with its path).</summary>
public sealed class OtlpJsonFormatException : Exception
{
    public OtlpJsonFormatException()
    {
    }

    public OtlpJsonFormatException(string message)
        : base(message)
    {
    }

    public OtlpJsonFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OtlpJsonFormatException(string message, long line, long column, Exception? innerException = null)
        : base(message, innerException)
    {
        Line = line;
        Column = column;
    }

    /// <summary>1-based line of a syntax error (0 for a shape error, which carries a JSON path instead).</summary>
    public long Line { get; }

    /// <summary>1-based column (byte offset in the line) of a syntax error.</summary>
    public long Column { get; }
}
