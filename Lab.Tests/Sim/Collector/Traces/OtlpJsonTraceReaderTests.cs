using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Tests.Sim.Collector.Traces;

[Trait("Category", "Unit")]
public sealed class OtlpJsonTraceReaderTests
{
    private const string Request = """
        {
          "resourceSpans": [{
            "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "checkout"}},
                                        {"key": "replicas", "value": {"intValue": "3"}}]},
            "scopeSpans": [{
              "scope": {"name": "manual"},
              "spans": [{
                "traceId": "5B8EFFF798038103D269B633813FC60C",
                "spanId": "EEE19B7EC3C1B174",
                "parentSpanId": "",
                "name": "POST /pay",
                "kind": 2,
                "startTimeUnixNano": "1544712660000000000",
                "endTimeUnixNano": 1544712661000000000,
                "status": {"code": "STATUS_CODE_ERROR"},
                "attributes": [
                  {"key": "http.status_code", "value": {"intValue": 503}},
                  {"key": "retry", "value": {"boolValue": true}},
                  {"key": "ratio", "value": {"doubleValue": "NaN"}},
                  {"key": "tags", "value": {"arrayValue": {"values": [{"stringValue": "a"}, {"intValue": 1}]}}},
                  {"key": "blob", "value": {"bytesValue": "AQI="}}
                ]
              }]
            }]
          }, {
            "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "ledger"}}]},
            "instrumentationLibrarySpans": [{"spans": [{
              "trace_id": "5b8efff798038103d269b633813fc60c", "span_id": "0000000000000002",
              "parent_span_id": "eee19b7ec3c1b174", "status": {"code": 1}}]}]
          }]
        }
        """;

    [Fact]
    public void Reads_spans_with_resources_ids_times_status_and_attributes()
    {
        // When an OTLP/JSON request with both current and legacy field names is read
        var spans = OtlpJsonTraceReader.Read(Request);

        // Then every span carries its ids, timing, status, resource and typed attributes
        Assert.Equal(2, spans.Count);
        var first = spans[0];
        Assert.Equal(TraceId.ParseHex("5b8efff798038103d269b633813fc60c"), first.TraceId);
        Assert.Equal(0xEEE19B7EC3C1B174UL, first.SpanId);
        Assert.Equal(0UL, first.ParentSpanId);
        Assert.Equal("POST /pay", first.Name);
        Assert.Equal(1544712660000000000UL, first.StartTimeUnixNano);
        Assert.Equal(1544712661000000000UL, first.EndTimeUnixNano);
        Assert.Equal(SpanStatusCode.Error, first.Status);
        Assert.Equal("checkout", first.ServiceName);
        Assert.Equal(3, first.Resource.Attributes["replicas"].Int);
        Assert.Equal(503, first.Attributes["http.status_code"].Int);
        Assert.True(first.Attributes["retry"].Bool);
        Assert.True(double.IsNaN(first.Attributes["ratio"].Double));
        Assert.Equal(2, first.Attributes["tags"].Array.Count);
        Assert.Equal(new byte[] { 1, 2 }, first.Attributes["blob"].Bytes.ToArray());

        var second = spans[1];
        Assert.Equal(first.TraceId, second.TraceId);
        Assert.Equal(first.SpanId, second.ParentSpanId);
        Assert.Equal(SpanStatusCode.Ok, second.Status);
        Assert.Equal("ledger", second.ServiceName);
    }

    [Fact]
    public void Spans_of_one_resource_share_one_resource_instance()
    {
        var spans = OtlpJsonTraceReader.Read("""
            {"resourceSpans":[{"resource":{},"scopeSpans":[{"spans":[
              {"traceId":"00000000000000000000000000000001","spanId":"0000000000000001"},
              {"traceId":"00000000000000000000000000000001","spanId":"0000000000000002"}]}]}]}
            """);
        Assert.Same(spans[0].Resource, spans[1].Resource);
    }

    [Fact]
    public void Reads_several_requests_one_after_another_like_the_file_exporter_writes()
    {
        const string line = """{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"00000000000000000000000000000001","spanId":"0000000000000001"}]}]}]}""";
        Assert.Equal(3, OtlpJsonTraceReader.Read(line + "\n" + line + "\n" + line + "\n").Count);
    }

    [Fact]
    public void Malformed_json_reports_line_and_column()
    {
        var ex = Assert.Throws<OtlpJsonFormatException>(() => OtlpJsonTraceReader.Read("{\n  \"resourceSpans\": [\n    {\"resource\": }\n  ]\n}"));
        Assert.Equal(3, ex.Line);
        Assert.Equal(18, ex.Column);
        Assert.StartsWith("line 3, column 18: not valid JSON:", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"spans": []}""", "resourceSpans: is missing")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"xyz","spanId":"0000000000000001"}]}]}]}""", "resourceSpans[0].scopeSpans[0].spans[0].traceId: \"xyz\" is not a trace id")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"00000000000000000000000000000001","spanId":"01"}]}]}]}""", "resourceSpans[0].scopeSpans[0].spans[0].spanId: \"01\" is not a span id")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"00000000000000000000000000000001","spanId":"0000000000000001","status":{"code":"ERROR"}}]}]}]}""", "resourceSpans[0].scopeSpans[0].spans[0].status.code: \"ERROR\" is not a status code")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"00000000000000000000000000000001","spanId":"0000000000000001","startTimeUnixNano":"-5"}]}]}]}""", "resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: \"-5\" is not an unsigned 64-bit integer")]
    public void Wrong_shapes_name_the_json_path(string json, string message)
    {
        var ex = Assert.Throws<OtlpJsonFormatException>(() => OtlpJsonTraceReader.Read(json));
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_what_tail_sampling_policies_look_at_beyond_attributes()
    {
        var span = Assert.Single(OtlpJsonTraceReader.Read("""
            {"resourceSpans":[{"scopeSpans":[{"scope":{"name":"lib","version":"1.2"},"spans":[{
              "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","kind":"SPAN_KIND_CLIENT",
              "traceState":"vendor=x1","flags":257,"status":{"code":2,"message":"boom"},
              "events":[{"name":"retry","timeUnixNano":"7","attributes":[{"key":"n","value":{"intValue":"2"}}]}],
              "links":[{"traceId":"00000000000000000000000000000001","spanId":"0000000000000002","traceState":"a=b","flags":1}]}]}]}]}
            """));

        Assert.Equal((SpanKind.Client, "vendor=x1", 257u, "boom"), (span.Kind, span.TraceState, span.Flags, span.StatusMessage));
        Assert.Equal(("lib", "1.2"), (span.ScopeName, span.ScopeVersion));
        var e = Assert.Single(span.Events);
        Assert.Equal(("retry", 7UL, 2L), (e.Name, e.TimeUnixNano, e.Attributes["n"].Int));
        var link = Assert.Single(span.Links);
        Assert.Equal((new TraceId(0, 1), 2UL, "a=b", 1u), (link.TraceId, link.SpanId, link.TraceState, link.Flags));
    }
}
