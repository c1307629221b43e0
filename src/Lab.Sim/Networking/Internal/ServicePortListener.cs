using System.Net;
using System.Net.Sockets;

namespace OtelLab.Sim.Networking.Internal;

/// <summary>
/// A listener on one Service VIP:port. Each accepted connection is forwarded to the endpoint the picker chooses
/// at accept time, from the client's own address (as iptables DNAT keeps the source), so the backend sees the
/// client pod's IP.
/// </summary>
internal sealed class ServicePortListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Func<IPAddress, IPEndPoint?> _pick;
    private readonly Action<IPEndPoint, long, long> _account;
    private readonly Action<IPAddress, string>? _reset;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _open;

    /// <param name="reset">Told each connection this listener reset, with why (no endpoint, the endpoint unreachable).</param>
    public ServicePortListener(IPEndPoint bind, Func<IPAddress, IPEndPoint?> pick, Action<IPEndPoint, long, long> account, Action<IPAddress, string>? reset = null)
    {
        Endpoint = bind;
        _pick = pick;
        _account = account;
        _reset = reset;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _socket.Bind(bind);
        _socket.Listen(512);
        _acceptLoop = AcceptLoopAsync();
    }

    public IPEndPoint Endpoint { get; }

    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Stops listening now (new connections are refused); open connections carry on until disposed.</summary>
    public void Close() => _socket.Dispose();

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        Interlocked.Increment(ref _open);
        Socket? server = null;
        var source = IPAddress.None;
        IPEndPoint? target = null;
        try
        {
            client.NoDelay = true;
            source = ((IPEndPoint)client.RemoteEndPoint!).Address;
            target = _pick(source);
            if (target is null)
            {
                // No usable endpoint for this client (e.g. internalTrafficPolicy: Local with none on its node):
                // iptables drops/rejects; reset the connection.
                client.LingerState = new LingerOption(true, 0);
                _reset?.Invoke(source, "no ready endpoint for this client");
                return;
            }

            server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            if (!source.Equals(IPAddress.Loopback))
            {
                SourceAddress.Bind(server, source);
            }

            await server.ConnectAsync(target, _stop.Token).ConfigureAwait(false);
            var (up, down) = await ConnectionPump.RunAsync(client, server, _stop.Token).ConfigureAwait(false);
            _account(target, up, down);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            client.LingerState = new LingerOption(true, 0);
            _reset?.Invoke(source, target is null ? e.Message : $"endpoint {target}: {(e is SocketException s ? s.SocketErrorCode.ToString() : e.GetType().Name)}");
        }
        finally
        {
            server?.Dispose();
            client.Dispose();
            Interlocked.Decrement(ref _open);
        }
    }
}
