using OtelLab.Tests.Support;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OtelLab.Load.Scraping;
using OtelLab.Load.TargetFarm;

namespace OtelLab.Tests.Load;

[Collection(nameof(SimulatedNetworkCollection))]
[Trait("Category", "Lab")]
public sealed class TargetFarmTests
{
    // The second block of the test process's own slot keeps these tests off every lab's farm; port 0 avoids clashes.
    private static TargetFarmOptions Options(int count) => new() { Count = count, FirstAddress = TestAddressSlot.Pod(1, 0, 1), Port = 0 };

    private static async Task<string> RawGetAsync(IPEndPoint target, string request, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(target, cancellationToken);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, cancellationToken);
        using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    [Fact(Timeout = 20_000)]
    public async Task Every_target_serves_its_series_on_its_own_address()
    {
        // Given 200 targets of 10 metrics × 10 series × 3 labels
        await using var farm = TargetFarm.Start(Options(200) with { Shape = new TargetShape(10, 10, 3) });

        // When all are scraped
        var summary = await new SimpleScraper().ScrapeAllAsync(farm.Endpoints, 16, TestContext.Current.CancellationToken);

        // Then every target answered on a distinct address with 100 samples
        Assert.Equal(200, farm.Endpoints.Select(e => e.Address).Distinct().Count());
        Assert.Equal(200, summary.Succeeded);
        Assert.Equal(200 * 100, summary.Samples);
        // (counted once each response is sent: a scraper that reads by Content-Length may be done a moment before)
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(farm.RequestsServed == 200), TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken), $"{farm.RequestsServed} served");
        Assert.Equal(0, farm.Errors);
    }

    [Fact(Timeout = 20_000)]
    public async Task The_first_scrape_is_announced_once_and_a_404_is_not_a_scrape()
    {
        // Given a farm of one target that counts its first-scrape announcements
        await using var farm = TargetFarm.Start(Options(1));
        var announced = 0;
        farm.FirstScrapeServed += _ => Interlocked.Increment(ref announced);
        var ct = TestContext.Current.CancellationToken;

        // When it answers a request for another path, then two scrapes
        await RawGetAsync(farm.Endpoints[0], "GET /other HTTP/1.1\r\nHost: x\r\n\r\n", ct);
        var before = Volatile.Read(ref announced);
        await RawGetAsync(farm.Endpoints[0], "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", ct);
        await RawGetAsync(farm.Endpoints[0], "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", ct);

        // Then only the first scrape was announced (the farm counts and announces before it closes the connection the read waits on)
        Assert.Equal(0, before);
        Assert.Equal(1, Volatile.Read(ref announced));
        Assert.Equal(2, farm.RequestsServed);
    }

    [Fact(Timeout = 20_000)]
    public async Task The_exposition_is_prometheus_text_0_0_4_with_avalanche_like_labels()
    {
        await using var farm = TargetFarm.Start(Options(1) with { Shape = new TargetShape(2, 3, 2) });
        var response = await RawGetAsync(farm.Endpoints[0], "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", TestContext.Current.CancellationToken);

        Assert.StartsWith("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n", response, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: close\r\n", response, StringComparison.Ordinal);
        Assert.Contains("# TYPE lab_metric_1 gauge\n", response, StringComparison.Ordinal);
        Assert.Contains("lab_metric_1{label_key_0=\"label_val_0\",label_key_1=\"label_val_1\",cycle_id=\"0\",series_id=\"2\"} ", response, StringComparison.Ordinal);
        Assert.Equal(6, response.Split('\n').Count(l => l.StartsWith("lab_metric_", StringComparison.Ordinal)));
    }

    [Fact(Timeout = 20_000)]
    public async Task Series_churn_moves_the_cycle_on_each_interval()
    {
        // Given a farm with a 30 s series interval on a manual clock
        var time = new ManualTimeProvider();
        await using var farm = TargetFarm.Start(Options(1) with { SeriesChurnInterval = TimeSpan.FromSeconds(30), TimeProvider = time, Shape = new TargetShape(1, 1, 0) });

        // When 30 s pass
        time.Advance(TimeSpan.FromSeconds(30));

        // Then the served series carry cycle_id 1
        Assert.Equal(1, farm.Cycle);
        var response = await RawGetAsync(farm.Endpoints[0], "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", TestContext.Current.CancellationToken);
        Assert.Contains("cycle_id=\"1\"", response, StringComparison.Ordinal);
    }

    [Fact(Timeout = 20_000)]
    public async Task Other_paths_are_404_and_other_methods_405()
    {
        await using var farm = TargetFarm.Start(Options(1));
        Assert.StartsWith("HTTP/1.1 404 ", await RawGetAsync(farm.Endpoints[0], "GET /other HTTP/1.1\r\nHost: x\r\n\r\n", TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 405 ", await RawGetAsync(farm.Endpoints[0], "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(0, farm.RequestsServed);
    }

    [Fact(Timeout = 20_000)]
    public async Task Keep_alive_serves_several_scrapes_on_one_connection()
    {
        await using var farm = TargetFarm.Start(Options(1) with { KeepAlive = true, Shape = new TargetShape(1, 1, 0) });
        var response = await RawGetAsync(farm.Endpoints[0],
            "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n" + "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", TestContext.Current.CancellationToken);
        Assert.Equal(2, response.Split("HTTP/1.1 200 OK").Length - 1);
        Assert.Equal(1, farm.ConnectionsAccepted);
    }

    [Fact(Timeout = 20_000)]
    public async Task Connections_are_kept_alive_while_the_keep_alive_budget_has_room_and_closed_beyond_it()
    {
        // Given a farm whose descriptor budget has room for one kept connection (one listener, two descriptors each)
        var ct = TestContext.Current.CancellationToken;
        var budget = new KeepAliveBudget(openFileLimit: 3, headroom: 0, listeners: () => 1);
        await using var farm = TargetFarm.Start(Options(1) with { KeepAliveBudget = budget, Shape = new TargetShape(1, 1, 0) });
        using var first = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await first.ConnectAsync(farm.Endpoints[0], ct);
        using var firstStream = new NetworkStream(first);

        // When a first connection scrapes without asking to close, a second connects meanwhile, and the first scrapes again
        var kept = await ExchangeAsync(firstStream, ct);
        var closed = await RawGetAsync(farm.Endpoints[0], "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", ct);
        var again = await ExchangeAsync(firstStream, ct);

        // Then the first is kept open (no Connection: close, its second scrape on the same connection), the second is
        // told to close, and the place is given back when the first connection ends
        Assert.StartsWith("HTTP/1.1 200 OK", kept, StringComparison.Ordinal);
        Assert.DoesNotContain("Connection: close", kept, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("HTTP/1.1 200 OK", again, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: close\r\n", closed, StringComparison.Ordinal);
        Assert.Equal(2, farm.ConnectionsAccepted);
        // (a scrape counts as served once its response is sent: the client may have read it a moment before)
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(farm.RequestsServed == 3), TimeSpan.FromSeconds(10), ct), $"{farm.RequestsServed} served");
        Assert.Equal(1, budget.Kept);
        first.Shutdown(SocketShutdown.Both);
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(budget.Kept == 0), TimeSpan.FromSeconds(10), ct));
    }

    // One request and its response on an open connection (the response read by its Content-Length).
    private static async Task<string> ExchangeAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        await stream.WriteAsync("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), cancellationToken);
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var text = Encoding.ASCII.GetString([.. received]);
            var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headEnd >= 0)
            {
                var lengthLine = text[..headEnd].Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                var length = int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                if (received.Count >= headEnd + 4 + length)
                {
                    return text;
                }
            }

            var read = await stream.ReadAsync(buffer, cancellationToken);
            Assert.True(read > 0, "the farm closed a connection it should have kept");
            received.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }

    [Fact]
    public void A_too_low_open_file_limit_is_reported_with_the_budget()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => TargetFarm.Start(Options(9000) with { OpenFileLimit = 1024 }));
        Assert.Contains("9000 targets need 9000 listening sockets + 1024 headroom = 10024 open files, but the open-file limit (ulimit -n) is 1024", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ulimit -n 10024", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Addresses_stay_in_loopback_and_skip_network_and_broadcast_octets()
    {
        Assert.Equal(["127.64.0.254", "127.64.1.1", "127.64.1.2"], TargetFarm.Addresses(IPAddress.Parse("127.64.0.254"), 3).Select(a => a.ToString()));
        Assert.Throws<ArgumentException>(() => TargetFarm.Addresses(IPAddress.Parse("10.0.0.1"), 1));
        Assert.Throws<ArgumentException>(() => TargetFarm.Addresses(IPAddress.Parse("127.255.255.250"), 10));
    }

    [Fact(Timeout = 20_000)]
    public async Task Scraping_a_closed_port_fails_without_throwing()
    {
        var farm = TargetFarm.Start(Options(1));
        var endpoint = farm.Endpoints[0];
        await farm.DisposeAsync();
        var result = await new SimpleScraper().ScrapeAsync(endpoint, TestContext.Current.CancellationToken);
        Assert.False(result.Ok);
        Assert.NotNull(result.Error);
    }
}
