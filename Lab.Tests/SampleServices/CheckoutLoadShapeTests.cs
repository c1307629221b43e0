using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using OtelLab.Load.Requests;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.SampleServices;

/// <summary>checkout's ERROR_RATIO and SLOW_RATIO/SLOW_LATENCY_MS knobs, measured on the running Java service.</summary>
[Trait("Category", "Component")]
public sealed class CheckoutLoadShapeTests
{
    private static readonly string ServicesDir = Path.Combine(RepoPaths.Root, "SampleServices");

    [Fact]
    public async Task Error_and_slow_ratios_are_per_request_probabilities_observed_within_binomial_tolerance()
    {
        SampleServiceChain.SkipUnlessRunnable();
        var ct = TestContext.Current.CancellationToken;

        // Given checkout (no agent) in front of a payments stand-in that always answers 200 at once,
        // with 25% errors and 25% requests delayed by 1000 ms
        const int Requests = 400;
        const double Ratio = 0.25;
        const int SlowMs = 1000;
        await using var payments = await StartPaymentsStandInAsync(ct);
        var address = TestAddressSlot.NextProcessAddress();
        using var checkout = SampleServiceProcess.Start("checkout", "java",
            ["-cp", Path.Combine(ServicesDir, "out", "checkout", "classes"), "lab.checkout.CheckoutService"], ServicesDir,
            new Dictionary<string, string>
            {
                ["PORT"] = SampleServiceChain.ServicePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["BIND_ADDRESS"] = address.ToString(),
                ["PAYMENTS_URL"] = payments.Url,
                [SampleServiceKnobs.ErrorRatio] = "0.25",
                [SampleServiceKnobs.SlowRatio] = "0.25",
                [SampleServiceKnobs.SlowLatencyMs] = SlowMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            SampleServiceChain.Url(address));
        using var http = new HttpClient { BaseAddress = new Uri(checkout.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        Assert.True(await Eventually.WaitAsync(async () => await HealthyAsync(http, ct), TimeSpan.FromSeconds(60), ct), $"checkout did not start:\n{checkout.Output}");

        // When 400 requests are sent, 25 at a time (the service runs a thread per request)
        var results = new List<(HttpStatusCode Status, TimeSpan Took)>();
        using var gate = new SemaphoreSlim(25);
        var tasks = Enumerable.Range(0, Requests).Select(async _ =>
        {
            await gate.WaitAsync(ct);
            try
            {
                var watch = Stopwatch.StartNew();
                using var response = await http.PostAsync("/checkout", new StringContent("{}"), ct);
                lock (results)
                {
                    results.Add((response.StatusCode, watch.Elapsed));
                }
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(tasks);

        // Then the observed error and slow shares are 0.25 within ±0.1: σ = √(0.25·0.75/400) ≈ 0.0217, so 0.1 ≈ 4.6σ
        // (a false failure about once in 200,000 runs). A slow request takes at least 1000 ms; an undelayed one
        // takes milliseconds, so the 1000 ms line separates them.
        var errors = results.Count(r => r.Status == HttpStatusCode.InternalServerError) / (double)Requests;
        var slow = results.Count(r => r.Took >= TimeSpan.FromMilliseconds(SlowMs)) / (double)Requests;
        Assert.All(results, r => Assert.Contains(r.Status, new[] { HttpStatusCode.OK, HttpStatusCode.InternalServerError }));
        Assert.InRange(errors, Ratio - 0.1, Ratio + 0.1);
        Assert.InRange(slow, Ratio - 0.1, Ratio + 0.1);
    }

    private static async Task<bool> HealthyAsync(HttpClient http, CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync("/health", ct);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task<PaymentsStandIn> StartPaymentsStandInAsync(CancellationToken ct)
    {
        var address = TestAddressSlot.NextProcessAddress();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(address, SampleServiceChain.ServicePort));
        var app = builder.Build();
        app.MapPost("/pay", () => "{\"status\":\"ok\"}");
        await app.StartAsync(ct);
        return new PaymentsStandIn(app, SampleServiceChain.Url(address));
    }

    private sealed class PaymentsStandIn(WebApplication app, string url) : IAsyncDisposable
    {
        public string Url { get; } = url;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }
}
