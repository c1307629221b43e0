namespace OtelLab.Sim.ArgoCd;

/// <summary>
/// Why an Application's source could not be turned into manifests: names the Application, the revision and, where
/// one is to blame, the file:line; the controller reports it as the <c>ComparisonError</c> condition.
/// </summary>
public sealed class SourceError(string application, string? revision, string? location, string message, string fix) : Exception(message)
{
    public string Application { get; } = application;

    public string? Revision { get; } = revision;

    /// <summary><c>file:line</c> (repository-relative), or null when no file is to blame.</summary>
    public string? Location { get; } = location;

    public string Fix { get; } = fix;

    /// <summary>One line as the controller logs it: <c>application otel-pipeline, revision main (abc1234): path:3: what; fix: …</c>.</summary>
    public string Describe() =>
        $"application {Application}, revision {Revision ?? "(unresolved)"}: {(Location is null ? string.Empty : Location + ": ")}{Message}; fix: {Fix}";
}
