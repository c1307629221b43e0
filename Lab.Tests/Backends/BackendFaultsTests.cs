using System.Net;
using System.Net.Sockets;
using OtelLab.Backends.Dynatrace;
using OtelLab.Backends.Faults;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Backends;

/// <summary>Outage controls: 503 / 429 with Retry-After / slow / refused connections, each for a period on the backend's clock.</summary>
[Trait("Category", "Component")]
public sealed class BackendFaultsTests : IAsyncLifetime
{
    private const string Token = "dt0c01.FAULTTESTPUBLICPARTXXXX.SECRETSECRETSECRETSECRET";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly ManualTimeProvider _time = new();
    private readonly DynatraceBackend _dynatrace;
    private HttpClient _http = null!;

    public BackendFaultsTests() => _dynatrace = new DynatraceBackendBuilder().WithToken(Token).WithTimeProvider(_time).Build();

    public async ValueTask InitializeAsync()
    {
        await _dynatrace.StartAsync(TestContext.Current.CancellationToken);
        _http = new HttpClient { BaseAddress = _dynatrace.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _dynatrace.DisposeAsync();
    }

    [Fact]
    public async Task Unavailable_answers_503_with_Retry_After_until_the_period_ends()
    {
        // Given a 30 s outage with Retry-After 5
        _dynatrace.Faults.Unavailable(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5));

        // When a trace is sent during and after the period
        using var during = await PostTrace();
        _time.Advance(TimeSpan.FromSeconds(30));
        using var after = await PostTrace();

        // Then 503 with Retry-After: 5 during, 200 after; the query API is unaffected throughout
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), during.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(BackendFaultKind.None, _dynatrace.Faults.Current.Kind);
        Assert.Equal(3, _dynatrace.Captures.Spans().Count);
    }

    [Fact]
    public async Task Throttled_answers_429_with_Retry_After()
    {
        _dynatrace.Faults.Throttle(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(7));

        using var response = await PostTrace();

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        Assert.Empty(_dynatrace.Captures.Spans());
    }

    [Fact]
    public async Task Slow_delays_the_answer_until_the_clock_passes_the_delay()
    {
        // Given responses delayed by 6 s (past the exporter's 5 s timeout)
        _dynatrace.Faults.Slow(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(6));

        // When a trace is sent and the backend holds it: the clock moves only once the request's 6 s delay timer is
        // armed (the request reaches the fault gate on a server thread, after PostTrace has returned)
        var pending = PostTrace();
        var answerAt = _time.GetUtcNow() + TimeSpan.FromSeconds(6);
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(_time.PendingTimersDueBy(answerAt) > 0), Wait, TestContext.Current.CancellationToken));
        _time.Advance(TimeSpan.FromSeconds(5));

        // Then it is still unanswered at 5 s, and answered once the clock passes 6 s
        Assert.False(pending.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        // Then it is answered normally
        using var response = await pending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task RefuseConnections_closes_the_port_and_reopens_it_after_the_period()
    {
        // Given the listener's port
        var port = _dynatrace.BaseAddress.Port;

        // When connections are refused for 20 s
        await _dynatrace.Faults.RefuseConnectionsAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        // Then a TCP connect is refused, and after the clock passes 20 s the same port accepts again
        Assert.False(_dynatrace.IsListening);
        var refused = await Assert.ThrowsAsync<SocketException>(() => Connect(port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(_dynatrace.IsListening), Wait, TestContext.Current.CancellationToken));
        Assert.Equal(port, _dynatrace.BaseAddress.Port);
        using var response = await PostTrace();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Faults_can_be_set_through_the_query_API()
    {
        using var set = await _http.PostAsync("lab/faults?kind=throttled&seconds=10&retryAfter=3", null, TestContext.Current.CancellationToken);
        using var response = await PostTrace();

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
    }

    private static async Task Connect(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
    }

    private Task<HttpResponseMessage> PostTrace()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/v2/otlp/v1/traces") { Content = OtlpPayloads.Protobuf(OtlpPayloads.Trace("checkout", 3)) };
        request.Headers.TryAddWithoutValidation("Authorization", "Api-Token " + Token);
        return _http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
