using System.Buffers;
using System.Net.Sockets;

namespace OtelLab.Sim.Networking.Internal;

/// <summary>Copies bytes both ways between two connected sockets with pooled buffers, half-closing like a TCP proxy.</summary>
internal static class ConnectionPump
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Runs until both directions end; returns bytes copied client→server and server→client.</summary>
    public static async Task<(long Up, long Down)> RunAsync(Socket client, Socket server, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var up = CopyAsync(client, server, linked);
        var down = CopyAsync(server, client, linked);
        var results = await Task.WhenAll(up, down).ConfigureAwait(false);
        return (results[0], results[1]);
    }

    private static async Task<long> CopyAsync(Socket from, Socket to, CancellationTokenSource both)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long total = 0;
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, both.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    break;
                }

                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, both.Token).ConfigureAwait(false);
                total += n;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // A reset or abort on one side ends the other direction too, as a closed conntrack entry would.
            await both.CancelAsync().ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return total;
    }
}
