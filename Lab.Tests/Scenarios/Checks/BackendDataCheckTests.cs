using OtelLab.Backends.Capture;
using OtelLab.Backends.Capture.Internal;
using OtelLab.Scenarios.Checks;
using OtelLab.Tests.Backends;

namespace OtelLab.Tests.Scenarios.Checks;

/// <summary>backends-receive's wait: a vendor that lags the others by the datadog exporter's flush is not called silent.</summary>
[Trait("Category", "Unit")]
public sealed class BackendDataCheckTests
{
    private static readonly OtlpCapture.Origin Origin = new("datadog", CredentialFingerprint.Of("0123456789abcdef0123456789abcdef"), DateTimeOffset.UnixEpoch, "127.0.0.1");

    [Fact]
    public async Task A_store_that_receives_after_the_window_but_within_the_lag_of_another_is_waited_for()
    {
        // Given Dynatrace already has spans and Datadog has none when the window (zero here) ends
        var dynatrace = new CaptureStore("dynatrace");
        var datadog = new CaptureStore("datadog");
        dynatrace.AddSpans(OtlpCapture.Spans(OtlpPayloads.Trace("checkout", 2), Origin));
        var wait = BackendDataCheck.WaitForSpansAsync([dynatrace, datadog], TimeSpan.Zero, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        // When Datadog's flush lands during the lag (the wait still holds for it: the window alone would have ended)
        Assert.False(wait.IsCompleted, "the wait ended with the window and gave the lagging vendor no flush interval");
        datadog.AddSpans(OtlpCapture.Spans(OtlpPayloads.Trace("checkout", 2, seed: 2), Origin));

        // Then the wait ends with both stores holding spans, well before the lag is over
        await wait.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.All(new[] { dynatrace, datadog }, s => Assert.True(s.Summary().AcceptedSpans > 0));
    }

    [Fact]
    public async Task When_no_store_receives_the_wait_ends_with_the_window_without_adding_the_lag()
    {
        // Given two silent stores and a lag far longer than the test's own timeout
        var stores = new[] { new CaptureStore("dynatrace"), new CaptureStore("datadog") };

        // When the window (zero) ends, Then the wait is over without waiting for the lag (nothing arrived anywhere)
        await BackendDataCheck.WaitForSpansAsync(stores, TimeSpan.Zero, TimeSpan.FromMinutes(10), TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.All(stores, s => Assert.Equal(0, s.Summary().AcceptedSpans));
    }

    [Fact]
    public void Every_service_of_the_load_must_reach_a_backend()
    {
        // Given Datadog holds checkout's and payments' spans and none of ledger's
        var datadog = new CaptureStore("datadog");
        datadog.AddSpans(OtlpCapture.Spans(OtlpPayloads.Trace("checkout", 2), Origin));
        datadog.AddSpans(OtlpCapture.Spans(OtlpPayloads.Trace("payments", 2, seed: 2), Origin));

        var missing = BackendDataCheck.MissingServices(datadog.Summary(), ["checkout", "payments", "ledger"]);

        Assert.Equal(["ledger"], missing);
        Assert.Empty(BackendDataCheck.MissingServices(datadog.Summary(), ["checkout", "payments"]));
    }
}
