using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OtelLab.Load.Simulations;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Load.Simulations;

/// <summary>The HTTP step behind the trace and otlp load targets, against a real server on loopback.</summary>
[Collection(nameof(SimulatedNetworkCollection))]
[Trait("Category", "Component")]
public sealed class HttpStepTests
{
    [Fact]
    public async Task Answers_are_ok_or_failed_by_status_with_the_bytes_moved_and_a_refused_connection_is_a_failed_step()
    {
        // Given a server that answers "ok" to the first request and 500 to the next
        var ct = TestContext.Current.CancellationToken;
        var count = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.MapPost("/checkout", () => Interlocked.Increment(ref count) == 1 ? Results.Text("ok") : Results.StatusCode(500));
        await app.StartAsync(ct);
        var url = new Uri(app.Urls.First() + "/checkout");
        using var step = HttpStep.Json(url, IPAddress.Loopback, "{\"items\":1}", TimeSpan.FromSeconds(10));

        // When the step is invoked twice, then once against a port nobody listens on: one this test holds bound without
        // listening, so the kernel refuses the connection (a port freed by a stopped server can be taken at once by a
        // test running beside this one, and the step would meet that test's listener instead)
        var ok = await step.InvokeAsync(ct);
        var failed = await step.InvokeAsync(ct);
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var closedUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)closed.LocalEndPoint!).Port}/checkout");
        using var refusedStep = HttpStep.Json(closedUrl, IPAddress.Loopback, "{}", TimeSpan.FromSeconds(10));
        var refused = await refusedStep.InvokeAsync(ct);

        // Then NBomber's outcome, status code and data transfer (request + response bytes) are reported
        Assert.Equal(StepResponse.Ok("200", 11 + 2), ok);
        Assert.Equal((false, "500"), (failed.IsOk, failed.StatusCode));
        Assert.Equal((false, "connect ConnectionRefused"), (refused.IsOk, refused.StatusCode));
    }

    [Fact]
    public void A_source_address_outside_loopback_is_refused()
    {
        Assert.Throws<ArgumentException>(() => HttpStep.Json(new Uri("http://127.0.0.1:1/"), IPAddress.Parse("10.0.0.1"), "{}", TimeSpan.FromSeconds(1)));
    }
}
