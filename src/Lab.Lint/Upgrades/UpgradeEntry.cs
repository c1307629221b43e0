namespace OtelLab.Lint.Upgrades;

/// <summary>One change between versions, as the catalogue (<c>upgrade-catalogue.yaml</c>) records it with its changelog entry.</summary>
public sealed record UpgradeEntry
{
    public required string Id { get; init; }

    /// <summary><c>collector</c> (an OpenTelemetryCollector's image tag) or <c>operator</c>.</summary>
    public required string Component { get; init; }

    /// <summary>The first version with the change.</summary>
    public required Version Version { get; init; }

    public required Severity Severity { get; init; }

    public required string Title { get; init; }

    /// <summary>What in a manifest makes it apply (<see cref="UpgradeCheck"/> knows each detector).</summary>
    public required string Detect { get; init; }

    public required string Why { get; init; }

    public required string Fix { get; init; }

    /// <summary>Where it was read: <c>repo CHANGELOG.md version: entry</c>.</summary>
    public required string ChangelogRepo { get; init; }

    public required string ChangelogVersion { get; init; }

    public required string ChangelogEntry { get; init; }

    /// <summary>The operator version that neutralises the change for the collectors it manages (<c>managed</c>: any; null: none).</summary>
    public string? MitigatedByOperator { get; init; }

    public string? MitigationEntry { get; init; }

    public string Reference => $"{ChangelogRepo} CHANGELOG.md {ChangelogVersion}: {ChangelogEntry}";
}
