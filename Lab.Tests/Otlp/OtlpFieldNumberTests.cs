using Google.Protobuf.Reflection;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace OtelLab.Tests.Otlp;

/// <summary>
/// Pins the wire field numbers of the hand-written OTLP .proto files to upstream
/// open-telemetry/opentelemetry-proto (a wrong number would silently decode garbage from real SDKs).
/// </summary>
[Trait("Category", "Unit")]
public sealed class OtlpFieldNumberTests
{
    public static TheoryData<string, string, int> UpstreamFields => new()
    {
        { Span.Descriptor.FullName, "trace_id", 1 },
        { Span.Descriptor.FullName, "parent_span_id", 4 },
        { Span.Descriptor.FullName, "start_time_unix_nano", 7 },
        { Span.Descriptor.FullName, "status", 15 },
        { Span.Descriptor.FullName, "flags", 16 },
        { Status.Descriptor.FullName, "code", 3 },
        { Metric.Descriptor.FullName, "gauge", 5 },
        { Metric.Descriptor.FullName, "sum", 7 },
        { Metric.Descriptor.FullName, "histogram", 9 },
        { Metric.Descriptor.FullName, "exponential_histogram", 10 },
        { Metric.Descriptor.FullName, "summary", 11 },
        { NumberDataPoint.Descriptor.FullName, "attributes", 7 },
        { NumberDataPoint.Descriptor.FullName, "as_int", 6 },
        { HistogramDataPoint.Descriptor.FullName, "attributes", 9 },
        { HistogramDataPoint.Descriptor.FullName, "min", 11 },
        { ExponentialHistogramDataPoint.Descriptor.FullName, "zero_threshold", 14 },
        { SummaryDataPoint.Descriptor.FullName, "quantile_values", 6 },
        { LogRecord.Descriptor.FullName, "observed_time_unix_nano", 11 },
        { LogRecord.Descriptor.FullName, "event_name", 12 },
        { InstrumentationScope.Descriptor.FullName, "attributes", 3 },
        { ExportTracePartialSuccess.Descriptor.FullName, "rejected_spans", 1 },
        { ExportMetricsPartialSuccess.Descriptor.FullName, "rejected_data_points", 1 },
        { ExportLogsPartialSuccess.Descriptor.FullName, "error_message", 2 },
    };

    private static IEnumerable<MessageDescriptor> AllMessages()
    {
        var files = new[]
        {
            TraceServiceReflection.Descriptor, MetricsServiceReflection.Descriptor, LogsServiceReflection.Descriptor,
            TraceReflection.Descriptor, MetricsReflection.Descriptor, LogsReflection.Descriptor, CommonReflection.Descriptor,
        };
        return files.SelectMany(f => f.MessageTypes).SelectMany(m => m.NestedTypes.Prepend(m));
    }

    [Theory]
    [MemberData(nameof(UpstreamFields))]
    public void Field_number_matches_upstream(string message, string field, int upstreamNumber)
    {
        // Given the compiled descriptor of the message (found among every OTLP file in Lab.Otlp)
        var descriptor = AllMessages().Single(d => d.FullName == message);

        // When the field is looked up by its upstream name
        var actual = descriptor.FindFieldByName(field);

        // Then it carries upstream's number
        Assert.NotNull(actual);
        Assert.Equal(upstreamNumber, actual.FieldNumber);
    }
}
