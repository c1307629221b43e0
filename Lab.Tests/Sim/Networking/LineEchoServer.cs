using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OtelLab.Tests.Sim.Networking;

/// <summary>A TCP server on one address that answers every line with "&lt;its address&gt; &lt;the client's address&gt;".</summary>
internal sealed class LineEchoServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LineEchoServer(IPEndPoint endpoint)
    {
        _listener = new TcpListener(endpoint);
        StartListening(_listener, endpoint);
        _loop = AcceptAsync();
    }

    // Every test of the simulated-network collection uses the same address slot, so a pod address a previous test's
    // server listened on may still be in its release (a stopping Kestrel, a container's listener) when the next test
    // binds it: retry for a bounded time and then fail naming the address.
    private static void StartListening(TcpListener listener, IPEndPoint endpoint)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            try
            {
                listener.Start();
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                throw new InvalidOperationException($"{endpoint} was still in use 5 s after this test began: a previous test's listener on it was not released", e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var local = ((IPEndPoint)client.Client.LocalEndPoint!).Address;
            var remote = ((IPEndPoint)client.Client.RemoteEndPoint!).Address;
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            try
            {
                while (await reader.ReadLineAsync(_stop.Token) is not null)
                {
                    var reply = Encoding.ASCII.GetBytes($"{local} {remote}\n");
                    await stream.WriteAsync(reply, _stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }
}

/// <summary>A client connection that sends a line and reads the answer.</summary>
internal sealed class LineClient : IDisposable
{
    private readonly TcpClient _client;
    private readonly StreamReader _reader;

    private LineClient(TcpClient client)
    {
        _client = client;
        _reader = new StreamReader(client.GetStream(), Encoding.ASCII);
    }

    public static async Task<LineClient> ConnectAsync(IPEndPoint target, IPAddress? from = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }

        await socket.ConnectAsync(target, TestContext.Current.CancellationToken);
        return new LineClient(new TcpClient { Client = socket });
    }

    /// <summary>Sends a line; returns (server address, client address as the server saw it).</summary>
    public async Task<(string Server, string SeenClient)> AskAsync()
    {
        await _client.GetStream().WriteAsync("hi\n"u8.ToArray(), TestContext.Current.CancellationToken);
        var line = await _reader.ReadLineAsync(TestContext.Current.CancellationToken) ?? throw new IOException("connection closed");
        var parts = line.Split(' ');
        return (parts[0], parts[1]);
    }

    public void Dispose()
    {
        _reader.Dispose();
        _client.Dispose();
    }
}
