namespace OtelLab.Model;

/// <summary>Thrown while reading one manifest or config node; carries the location and a fix hint.</summary>
public sealed class ManifestException : Exception
{
    public ManifestException(SourceLocation location, string message, string? hint = null)
        : base(message)
    {
        Location = location;
        Hint = hint;
    }

    public ManifestException()
    {
    }

    public ManifestException(string message)
        : base(message)
    {
    }

    public ManifestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SourceLocation Location { get; }

    public string? Hint { get; }

    public ManifestError ToError() => new(Location, Message, Hint);
}
