namespace OtelLab.Model;

/// <summary>Where a manifest object or a config node came from: <c>file:line:column</c> (1-based).</summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    public static SourceLocation None { get; } = new(string.Empty, 0, 0);

    /// <summary><c>file:line</c>, the form findings and SARIF use.</summary>
    public string FileAndLine => $"{File}:{Line}";

    public override string ToString() => Column > 0 ? $"{File}:{Line}:{Column}" : $"{File}:{Line}";
}
