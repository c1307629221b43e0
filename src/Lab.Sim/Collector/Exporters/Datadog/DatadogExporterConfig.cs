namespace OtelLab.Sim.Collector.Exporters.Datadog;

/// <summary>
/// The datadog exporter's settings the lab honours (upstream exporter/datadogexporter config: api.key, api.site,
/// api.fail_on_invalid_key, metrics.endpoint, metrics.histograms, traces.endpoint, hostname; retry_on_failure, sending_queue and
/// timeout are read by the metrics path's exporterhelper). Endpoints default from the site:
/// <c>https://api.&lt;site&gt;</c> and <c>https://trace.agent.&lt;site&gt;</c> (backends.md).
/// </summary>
public sealed record DatadogExporterConfig
{
    public required string ApiKey { get; init; }

    public string Site { get; init; } = "datadoghq.com";

    public bool FailOnInvalidKey { get; init; }

    public string? MetricsEndpoint { get; init; }

    public string? TracesEndpoint { get; init; }

    public string? Hostname { get; init; }

    /// <summary><c>metrics.histograms</c> (mode distributions by default).</summary>
    public DatadogHistogramSettings Histograms { get; init; } = new();

    public Uri MetricsBase => new(MetricsEndpoint ?? $"https://api.{Site}");

    public Uri TracesBase => new(TracesEndpoint ?? $"https://trace.agent.{Site}");

    /// <summary>Never the key itself (reports, logs).</summary>
    public override string ToString() => $"datadog(site={Site}, api.key={OtelLab.Model.Secrets.CredentialMask.Mask(ApiKey)})";
}
