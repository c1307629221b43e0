using OtelLab.Backends.Capture;
using OtelLab.Backends.Dynatrace;

namespace OtelLab.Tests.Backends;

/// <summary>
/// A mock backend's spans copied into a local store through its query API, as the k3s run reads the in-cluster
/// backends over a port-forward.
/// </summary>
[Trait("Category", "Component")]
public sealed class CaptureMirrorTests : IAsyncLifetime
{
    private const string Token = "dt0c01.MIRRORTESTPUBLICPART0000.SECRETSECRETSECRETSECRET";

    private readonly DynatraceBackend _remote = new DynatraceBackendBuilder().WithToken(Token).Build();
    private readonly HttpClient _http = new();

    public async ValueTask InitializeAsync() => await _remote.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _remote.DisposeAsync();
    }

    private async Task PostAsync(string service, int spans, ulong seed)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_remote.BaseAddress, "api/v2/otlp/v1/traces")) { Content = OtlpPayloads.Protobuf(OtlpPayloads.Trace(service, spans, seed)) };
        request.Headers.TryAddWithoutValidation("Authorization", "Api-Token " + Token);
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
    }

    [Fact]
    public async Task The_local_store_gets_each_remote_span_once_with_its_service_trace_and_attributes()
    {
        var ct = TestContext.Current.CancellationToken;
        await PostAsync("checkout", 5, seed: 1);
        await PostAsync("payments", 3, seed: 2);
        var local = new CaptureStore("dynatrace");
        var mirror = new CaptureMirror(_http, _remote.BaseAddress, local);

        var first = await mirror.PullAsync(ct);
        var again = await mirror.PullAsync(ct);
        await PostAsync("ledger", 2, seed: 3);
        var later = await mirror.PullAsync(ct);

        Assert.Equal([8, 0, 2], [first, again, later]);
        var remote = _remote.Captures.Summary();
        var copy = local.Summary();
        Assert.Equal(remote.AcceptedSpans, copy.AcceptedSpans);
        Assert.Equal(remote.Services.Keys.Order(StringComparer.Ordinal), copy.Services.Keys.Order(StringComparer.Ordinal));
        Assert.All(remote.Services, s => Assert.Equal(s.Value.Spans, copy.Services[s.Key].Spans));
        var original = _remote.Captures.Spans().Single(s => s.ServiceName == "checkout" && s.ParentSpanId != 0 && s.Name == "op-3");
        var copied = local.SpansOfTrace(original.TraceId).Single(s => s.SpanId == original.SpanId);
        Assert.Equal((original.ParentSpanId, original.Name, original.StartUnixNano, original.DurationNanos, original.Status), (copied.ParentSpanId, copied.Name, copied.StartUnixNano, copied.DurationNanos, copied.Status));
        Assert.Equal(original.EncodedOtlpAttributes, copied.EncodedOtlpAttributes);
    }

    [Fact]
    public async Task A_check_waiting_on_the_local_store_wakes_when_the_mirror_brings_the_spans()
    {
        var ct = TestContext.Current.CancellationToken;
        var local = new CaptureStore("dynatrace");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = new CaptureMirror(_http, _remote.BaseAddress, local).RunAsync(TimeSpan.FromMilliseconds(100), TimeProvider.System, stop.Token);

        var waiting = local.WaitUntilAsync(s => s.Summary().AcceptedSpans >= 4, TimeSpan.FromSeconds(30), ct);
        await PostAsync("checkout", 4, seed: 7);

        Assert.True(await waiting);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public void A_service_known_only_from_the_capture_not_the_resource_attributes_survives_the_export_and_the_mirror()
    {
        // Given a span as the Datadog mock captures it: its service from the span's `service` field, no resource attribute
        var resource = new CapturedResource { Backend = "datadog", ServiceName = "payments", Attributes = [], Credential = CredentialFingerprint.None, ReceivedAt = DateTimeOffset.UnixEpoch };
        var span = new CapturedSpan { Resource = resource, TraceId = 42, SpanId = 7, Name = "charge", StartUnixNano = 1, DurationNanos = 2 };

        // When exported as OTLP/JSON and read back as the mirror reads it
        var store = new CaptureStore("datadog");
        store.AddSpans([span]);
        var read = CaptureMirror.Parse(OtlpJsonExport.Traces(store));

        // Then the service is the resource's service.name
        var attribute = Assert.Single(read.ResourceSpans[0].Resource.Attributes);
        Assert.Equal(("service.name", "payments"), (attribute.Key, attribute.Value.StringValue));
    }
}
