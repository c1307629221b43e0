namespace OtelLab.Scenarios.Definition;

/// <summary>
/// Which vendor host names the mock backends answer for: what the manifests' exporters point at
/// (<c>https://ENV.live.dynatrace.com</c>, the Datadog site's <c>api.</c>, <c>trace.agent.</c> and
/// <c>http-intake.logs.</c> hosts — upstream: contrib exporter/datadogexporter config defaults).
/// </summary>
public sealed record BackendsSpec
{
    public IReadOnlyList<string> DynatraceHosts { get; init; } = ["abc12345.live.dynatrace.com"];

    public string DatadogSite { get; init; } = "datadoghq.com";

    /// <summary>The Datadog exporter's default intake hosts for <see cref="DatadogSite"/> (api., trace.agent., http-intake.logs.).</summary>
    public IReadOnlyList<string> DatadogHosts => [$"api.{DatadogSite}", $"trace.agent.{DatadogSite}", $"http-intake.logs.{DatadogSite}"];
}
