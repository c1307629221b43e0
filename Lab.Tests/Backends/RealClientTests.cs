using OtelLab.Backends.Capture;
using OtelLab.Backends.Datadog;
using OtelLab.Backends.Dynatrace;

namespace OtelLab.Tests.Backends;

/// <summary>Real npm clients (OpenTelemetry JS SDK, @datadog/datadog-api-client) against the mocks, over loopback HTTP.</summary>
[Trait("Category", "Component")]
public sealed class RealClientTests
{
    private const string DynatraceToken = "dt0c01.JSCLIENTTESTPUBLICPART.SECRETSECRETSECRETSECRETSECRET";
    private const string DatadogKey = "0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task OpenTelemetry_JS_traces_are_accepted_and_queryable_by_trace_id()
    {
        // Given a mock Dynatrace
        var ct = TestContext.Current.CancellationToken;
        await using var dynatrace = new DynatraceBackendBuilder().WithToken(DynatraceToken).Build();
        await dynatrace.StartAsync(ct);

        // When the OpenTelemetry JS SDK exports a two-span trace with the OTLP/HTTP protobuf exporter
        var result = await NodeClient.RunAsync("otel-traces.mjs", [dynatrace.OtlpEndpoint + "/v1/traces", "Api-Token " + DynatraceToken, "ledger"], ct);

        // Then the export succeeded and both spans are found by the trace id the SDK generated, linked parent → child
        Assert.Equal(0, result.GetProperty("code").GetInt32());
        var traceId = result.GetProperty("traceId").GetString()!;
        var spans = dynatrace.Captures.SpansOfTrace(traceId);
        Assert.Equal(2, spans.Count);
        var root = Assert.Single(spans, s => s.ParentSpanId == 0);
        var child = Assert.Single(spans, s => s.ParentSpanId != 0);
        Assert.Equal(root.SpanId, child.ParentSpanId);
        Assert.Equal("POST /ledger/entries", root.Name);
        Assert.All(spans, s => Assert.Equal("ledger", s.ServiceName));
        Assert.Equal(traceId, root.TraceIdHex);

        // And the query API answers the same over HTTP
        using var http = new HttpClient { BaseAddress = dynatrace.BaseAddress };
        var json = await http.GetStringAsync($"lab/traces/{traceId}", ct);
        Assert.Contains("\"INSERT ledger_entries\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenTelemetry_JS_exporter_with_a_wrong_token_gets_401()
    {
        // Given a mock Dynatrace
        var ct = TestContext.Current.CancellationToken;
        await using var dynatrace = new DynatraceBackendBuilder().WithToken(DynatraceToken).Build();
        await dynatrace.StartAsync(ct);

        // When the JS exporter sends a trace with a token the environment does not know
        var result = await NodeClient.RunAsync("otel-traces.mjs", [dynatrace.OtlpEndpoint + "/v1/traces", "Api-Token dt0c01.WRONG.WRONGWRONGWRONG", "ledger"], ct);

        // Then the export fails with 401, nothing is stored, and the rejection is recorded with the masked token
        Assert.Equal(1, result.GetProperty("code").GetInt32());
        Assert.Equal(401, result.GetProperty("httpStatus").GetInt32());
        Assert.Empty(dynatrace.Captures.Spans());
        var rejection = Assert.Single(dynatrace.Captures.Rejections());
        Assert.Equal("UNAUTHORIZED", rejection.Reason);
        Assert.DoesNotContain("WRONGWRONG", rejection.Credential.Masked, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Datadog_api_client_validates_the_key_and_its_series_are_stored()
    {
        // Given a mock Datadog
        var ct = TestContext.Current.CancellationToken;
        await using var datadog = new DatadogBackendBuilder().WithApiKey(DatadogKey).Build();
        await datadog.StartAsync(ct);

        // When the official client validates its key and submits a v2 series (deflate-compressed JSON)
        var result = await NodeClient.RunAsync("datadog-api.mjs", [datadog.BaseAddress.ToString().TrimEnd('/'), DatadogKey, "lab.ledger.balance"], ct);

        // Then validation says valid, the series is accepted (202) and stored with its point, host and service
        Assert.Equal(200, result.GetProperty("validate").GetProperty("status").GetInt32());
        Assert.True(result.GetProperty("validate").GetProperty("valid").GetBoolean());
        Assert.Equal(202, result.GetProperty("submit").GetProperty("status").GetInt32());
        var metric = Assert.Single(datadog.Captures.MetricsNamed("lab.ledger.balance"));
        Assert.Equal(CapturedMetricType.Gauge, metric.Type);
        Assert.Equal(42.5, Assert.Single(metric.Points).Value);
        Assert.Equal("ledger", metric.ServiceName);
        Assert.Contains(metric.Resource.Attributes, a => a.Key == "host.name" && a.Value.StringValue == "lab-node-1");
    }

    [Fact]
    public async Task Datadog_api_client_with_a_wrong_key_gets_403()
    {
        // Given a mock Datadog
        var ct = TestContext.Current.CancellationToken;
        await using var datadog = new DatadogBackendBuilder().WithApiKey(DatadogKey).Build();
        await datadog.StartAsync(ct);

        // When the client uses a key the mock does not know
        var result = await NodeClient.RunAsync("datadog-api.mjs", [datadog.BaseAddress.ToString().TrimEnd('/'), "ffffffffffffffffffffffffffffffff", "lab.ledger.balance"], ct);

        // Then both validation and submission are refused with 403 and nothing is stored
        Assert.Equal(403, result.GetProperty("validate").GetProperty("status").GetInt32());
        Assert.Equal(403, result.GetProperty("submit").GetProperty("status").GetInt32());
        Assert.Empty(datadog.Captures.Metrics());
        Assert.Equal(2, datadog.Captures.Summary().RejectedRequests);
    }
}
