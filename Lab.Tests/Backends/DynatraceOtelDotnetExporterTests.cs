using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OtelLab.Backends.Capture;
using OtelLab.Backends.Dynatrace;

namespace OtelLab.Tests.Backends;

/// <summary>
/// The real OpenTelemetry .NET OTLP exporter (HTTP/protobuf) against the mock Dynatrace: a cumulative counter is
/// refused with Dynatrace's reason (and the exporter still counts it as sent), a delta counter is accepted.
/// </summary>
[Trait("Category", "Component")]
public sealed class DynatraceOtelDotnetExporterTests
{
    private const string Token = "dt0c01.LABTESTTOKENPUBLICPART.SECRETSECRETSECRETSECRET";

    [Fact]
    public async Task Cumulative_counter_is_rejected_with_Dynatraces_reason()
    {
        // Given a mock Dynatrace and an SDK exporting a counter with cumulative temporality
        var ct = TestContext.Current.CancellationToken;
        await using var dynatrace = new DynatraceBackendBuilder().WithToken(Token).Build();
        await dynatrace.StartAsync(ct);

        // When the counter is exported
        var exported = Export(dynatrace, MetricReaderTemporalityPreference.Cumulative, "lab.orders.cumulative");

        // Then the exporter saw success (HTTP 200 partial_success) but every export of the point (flush, then the
        // final export at shutdown: cumulative repeats it) was rejected with the reason
        Assert.True(exported);
        var rejections = dynatrace.Captures.Rejections();
        Assert.NotEmpty(rejections);
        Assert.All(rejections, rejection =>
        {
            Assert.Equal("lab.orders.cumulative", rejection.ItemName);
            Assert.Equal("UNSUPPORTED_METRIC_TYPE_MONOTONIC_CUMULATIVE_SUM", rejection.Reason);
            Assert.Equal(200, rejection.HttpStatus);
            Assert.Equal(1, rejection.ItemCount);
            Assert.Equal("checkout", rejection.ServiceName);
        });
        Assert.Empty(dynatrace.Captures.MetricsNamed("lab.orders.cumulative"));
    }

    [Fact]
    public async Task Delta_counter_is_accepted()
    {
        // Given a mock Dynatrace and an SDK exporting a counter with delta temporality
        var ct = TestContext.Current.CancellationToken;
        await using var dynatrace = new DynatraceBackendBuilder().WithToken(Token).Build();
        await dynatrace.StartAsync(ct);

        // When the counter is exported
        var exported = Export(dynatrace, MetricReaderTemporalityPreference.Delta, "lab.orders.delta");

        // Then the metric is stored as a delta monotonic sum with the recorded value, and nothing was rejected
        Assert.True(exported);
        var metric = Assert.Single(dynatrace.Captures.MetricsNamed("lab.orders.delta"));
        Assert.Equal(CapturedTemporality.Delta, metric.Temporality);
        Assert.True(metric.IsMonotonic);
        Assert.Equal(5, Assert.Single(metric.Points).Value);
        Assert.Equal("checkout", metric.ServiceName);
        Assert.Empty(dynatrace.Captures.Rejections());
        Assert.StartsWith("dt0c****(sha256:", Assert.Single(dynatrace.Captures.Credentials()).Credential, StringComparison.Ordinal);
    }

    private static bool Export(DynatraceBackend dynatrace, MetricReaderTemporalityPreference temporality, string name)
    {
        using var meter = new Meter("lab.tests." + Guid.NewGuid().ToString("N"));
        var counter = meter.CreateCounter<long>(name);
        using var provider = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r => r.AddService("checkout"))
            .AddMeter(meter.Name)
            .AddOtlpExporter((exporter, reader) =>
            {
                exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
                exporter.Endpoint = new Uri(dynatrace.OtlpEndpoint + "/v1/metrics");
                exporter.Headers = "Authorization=Api-Token " + Token;
                reader.TemporalityPreference = temporality;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 3_600_000;
            })
            .Build();
        counter.Add(5);
        return provider.ForceFlush(30_000);
    }
}
