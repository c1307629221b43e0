namespace OtelLab.AppHost.Hosting;

/// <summary>How the lab's app model is hosted.</summary>
internal sealed record LabAppHostOptions
{
    /// <summary>The dashboard's port on 127.0.0.1: 0 picks free ports, a negative value runs headless (no dashboard).</summary>
    public int DashboardPort { get; init; } = LabAppHost.DefaultPort;

    /// <summary>True when the time scale was forced (<c>up --time-scale</c>): health is still reported, the scale is never lowered.</summary>
    public bool ForcedTimeScale { get; init; }

    /// <summary>Arguments for Aspire's configuration (what Aspire.Hosting.Testing passes through).</summary>
    public string[] Args { get; init; } = [];
}
