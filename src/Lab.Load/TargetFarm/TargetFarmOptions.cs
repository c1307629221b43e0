using System.Net;

namespace OtelLab.Load.TargetFarm;

/// <summary>Settings of a <see cref="TargetFarm"/>.</summary>
public sealed record TargetFarmOptions
{
    /// <summary>Number of targets, each on its own address.</summary>
    public int Count { get; init; } = 100;

    /// <summary>The first target address; the next ones count up, skipping .0 and .255 in the last octet. Must be in 127.0.0.0/8.</summary>
    public IPAddress FirstAddress { get; init; } = IPAddress.Parse("127.64.0.1");

    /// <summary>The port every target listens on (node-exporter's 9100 by default; 0 picks a free port per target).</summary>
    public int Port { get; init; } = 9100;

    /// <summary>The path served (anything else is 404).</summary>
    public string MetricsPath { get; init; } = "/metrics";

    public TargetShape Shape { get; init; } = new();

    /// <summary>Avalanche's <c>--series-interval</c>: every interval, <c>cycle_id</c> moves on and all series are new. Null: no churn.</summary>
    public TimeSpan? SeriesChurnInterval { get; init; }

    /// <summary>Keep connections open between scrapes (costs one descriptor per scraper connection). Default: Connection: close.</summary>
    public bool KeepAlive { get; init; }

    /// <summary>
    /// Without <see cref="KeepAlive"/>: keep a connection open between scrapes while this budget has room, else answer
    /// <c>Connection: close</c>. Null: every response closes its connection.
    /// </summary>
    public KeepAliveBudget? KeepAliveBudget { get; init; }

    /// <summary>Descriptors left for everything else in the process when checking the open-file limit.</summary>
    public int DescriptorHeadroom { get; init; } = 1024;

    /// <summary>The open-file limit to check against; null reads the process's soft limit.</summary>
    public long? OpenFileLimit { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
