using System.Text.Json;
using OtelLab.Backends.Capture;
using OtelLab.Backends.Capture.Internal;

namespace OtelLab.Tests.Backends;

/// <summary>The capture store: bounded memory with eviction counts, masked credentials, OTLP/JSON export, waiting.</summary>
[Trait("Category", "Unit")]
public sealed class CaptureStoreTests
{
    private static readonly OtlpCapture.Origin Origin = new("dynatrace", CredentialFingerprint.Of("dt0c01.STORETESTPUBLIC.SECRETVALUE"), DateTimeOffset.UnixEpoch, "127.0.0.1");

    [Fact]
    public void Capacity_bounds_memory_and_counts_what_was_evicted()
    {
        // Given a store holding 10 spans per signal
        var store = new CaptureStore("dynatrace", capacityPerSignal: 10);

        // When 3 requests (3 traces) of 4 spans arrive
        var requests = Enumerable.Range(1, 3).Select(i => OtlpPayloads.Trace("checkout", 4, seed: (ulong)i)).ToList();
        foreach (var request in requests)
        {
            store.AddSpans(OtlpCapture.Spans(request, Origin));
        }

        // Then the newest 10 are kept (the first trace lost its 2 oldest spans), and all 12 counted as accepted
        Assert.Equal(10, store.Spans().Count);
        var firstTrace = Convert.ToHexStringLower(requests[0].ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId.Span);
        Assert.Equal(["op-2", "op-3"], store.SpansOfTrace(firstTrace).Select(s => s.Name));
        var summary = store.Summary();
        Assert.Equal(2, summary.Evicted);
        Assert.Equal(12, summary.AcceptedSpans);
        Assert.Equal(12, summary.Services["checkout"].Spans);
    }

    [Fact]
    public void Credentials_are_masked_and_fingerprinted()
    {
        var a = CredentialFingerprint.Of("dt0c01.ABCDEFGHIJKLMNOP.SECRETSECRETSECRET");
        var b = CredentialFingerprint.Of("dt0c01.ABCDEFGHIJKLMNOP.SECRETSECRETSECRET");
        var shortKey = CredentialFingerprint.Of("short");

        Assert.Equal(a, b);
        Assert.StartsWith("dt0c****(sha256:", a.Masked, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", a.Masked, StringComparison.Ordinal);
        Assert.StartsWith("****(sha256:", shortKey.Masked, StringComparison.Ordinal);
        Assert.Equal("(none)", CredentialFingerprint.Of(null).Masked);
    }

    [Fact]
    public void Otlp_json_export_uses_hex_ids_and_lower_camel_case()
    {
        // Given a store with one OTLP trace
        var store = new CaptureStore("dynatrace");
        var request = OtlpPayloads.Trace("checkout", 2, seed: 7);
        store.AddSpans(OtlpCapture.Spans(request, Origin));

        // When exported as OTLP/JSON
        using var json = JsonDocument.Parse(OtlpJsonExport.Traces(store));

        // Then ids are lowercase hex, names lowerCamelCase, enums integers, and the resource is kept
        var resourceSpans = json.RootElement.GetProperty("resourceSpans")[0];
        var span = resourceSpans.GetProperty("scopeSpans")[0].GetProperty("spans")[1];
        var original = request.ResourceSpans[0].ScopeSpans[0].Spans[1];
        Assert.Equal(Convert.ToHexStringLower(original.TraceId.Span), span.GetProperty("traceId").GetString());
        Assert.Equal(Convert.ToHexStringLower(original.SpanId.Span), span.GetProperty("spanId").GetString());
        Assert.Equal(Convert.ToHexStringLower(original.ParentSpanId.Span), span.GetProperty("parentSpanId").GetString());
        Assert.Equal(2, span.GetProperty("kind").GetInt32());
        Assert.Equal(original.StartTimeUnixNano.ToString(System.Globalization.CultureInfo.InvariantCulture), span.GetProperty("startTimeUnixNano").GetString());
        Assert.Equal("service.name", resourceSpans.GetProperty("resource").GetProperty("attributes")[0].GetProperty("key").GetString());
    }

    [Fact]
    public async Task Export_writes_one_file_per_signal()
    {
        var store = new CaptureStore("datadog");
        store.AddSpans(OtlpCapture.Spans(OtlpPayloads.Trace("checkout", 1), Origin));
        var directory = Path.Combine(Path.GetTempPath(), "otel-lab-export-" + Guid.NewGuid().ToString("N"));
        try
        {
            var files = await OtlpJsonExport.WriteFilesAsync(store, directory, TestContext.Current.CancellationToken);

            Assert.Equal(["datadog-traces.json", "datadog-metrics.json", "datadog-logs.json"], files.Select(Path.GetFileName));
            Assert.Contains("\"resourceSpans\"", await File.ReadAllTextAsync(files[0], TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task WaitUntil_returns_when_the_condition_becomes_true()
    {
        // Given a waiter for 3 spans
        var store = new CaptureStore("dynatrace");
        var waiting = store.WaitUntilAsync(s => s.Spans().Count >= 3, TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);

        // When 3 spans arrive
        store.AddSpans(OtlpCapture.Spans(OtlpPayloads.Trace("checkout", 3), Origin));

        // Then it completes with true
        Assert.True(await waiting);
    }
}
