using System.Net.Http.Headers;
using Google.Protobuf;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OtelLab.Backends.Capture;
using OtelLab.Scenarios;

namespace OtelLab.AppHost.Hosting;

/// <summary>
/// Forwards what each mock backend accepted to the dashboard's OTLP/HTTP endpoint, so a person opens the Traces page
/// and sees the exact traces Dynatrace and Datadog stored. Each copy is marked with its backend: resource attribute
/// <c>lab.backend</c> and <c>service.instance.id</c> = the backend (the dashboard lists checkout (dynatrace) and
/// checkout (datadog)). Never throws: a refused or failed forward is logged and the next tick goes on.
/// </summary>
internal sealed class BackendTelemetryForwarder(SimLab lab, IConfiguration configuration, ResourceNotificationService notifications, DistributedApplicationModel model, ILogger<BackendTelemetryForwarder> logger) : BackgroundService
{
    private const int MaxSpansPerRequest = 2000;

    // Aspire names its dashboard resource so (KnownResourceNames.AspireDashboard, internal to Aspire.Hosting).
    private const string DashboardResource = "aspire-dashboard";
    private readonly Dictionary<string, long> _forwarded = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var endpoint = configuration["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"]?.TrimEnd('/');
        if (endpoint is null || !model.Resources.Any(r => r.Name == DashboardResource))
        {
            return; // headless: nobody to forward to
        }

        try
        {
            // Exports before the dashboard is up would be lost.
            await notifications.WaitForResourceHealthyAsync(DashboardResource, stoppingToken).ConfigureAwait(false);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            using var tick = new PeriodicTimer(TimeSpan.FromSeconds(2));
            do
            {
                foreach (var backend in lab.Backends)
                {
                    await ForwardAsync(http, endpoint, backend.Name, backend.Captures, stoppingToken).ConfigureAwait(false);
                }
            }
            while (await tick.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // the host is stopping
        }
    }

    private async Task ForwardAsync(HttpClient http, string endpoint, string backend, CaptureStore captures, CancellationToken cancellationToken)
    {
        var (spans, total) = captures.SpansSince(_forwarded.GetValueOrDefault(backend));
        _forwarded[backend] = total;
        var marks = new Dictionary<string, string> { ["lab.backend"] = backend, ["service.instance.id"] = backend };
        foreach (var chunk in spans.Chunk(MaxSpansPerRequest))
        {
            // An OTLP ExportTraceServiceRequest has TracesData's wire format (field 1: repeated ResourceSpans).
            using var content = new ByteArrayContent(OtlpJsonExport.TracesData(chunk, marks).ToByteArray());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint + "/v1/traces") { Content = content };
            if (configuration["AppHost:OtlpApiKey"] is { Length: > 0 } key)
            {
                request.Headers.Add("x-otlp-api-key", key);
            }

            try
            {
                using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    logger.LogWarning("the dashboard refused {Count} spans from {Backend}: HTTP {Status}", chunk.Length, backend, (int)response.StatusCode);
                }
            }
            catch (HttpRequestException e)
            {
                logger.LogWarning("forwarding {Count} spans from {Backend} to the dashboard failed: {Error}", chunk.Length, backend, e.Message);
            }
        }
    }
}
