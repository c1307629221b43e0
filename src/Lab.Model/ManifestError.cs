namespace OtelLab.Model;

/// <summary>A problem that makes input unusable: where it is, what is wrong, and how to fix it.</summary>
public sealed record ManifestError(SourceLocation Location, string Message, string? Hint = null)
{
    public override string ToString() =>
        Hint is null ? $"{Location}: {Message}" : $"{Location}: {Message}\n  fix: {Hint}";
}
