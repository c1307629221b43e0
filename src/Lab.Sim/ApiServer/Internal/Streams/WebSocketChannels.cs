using System.IO.Pipelines;
using System.Net.WebSockets;

namespace OtelLab.Sim.ApiServer.Internal.Streams;

/// <summary>
/// The channel protocol of <c>v4.channel.k8s.io</c>/<c>v5.channel.k8s.io</c> over one WebSocket: every binary message
/// is <c>[channel][payload]</c> — 0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize — and in v5 <c>[255, channel]</c>
/// closes a channel (apimachinery pkg/util/remotecommand/constants.go; apiserver pkg/util/wsstream/conn.go).
/// </summary>
internal sealed class WebSocketChannels(WebSocket socket, bool v5)
{
    public const byte Stdin = 0;
    public const byte Stdout = 1;
    public const byte Stderr = 2;
    public const byte Status = 3;
    public const byte Resize = 4;
    private const byte Close = 255;

    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly Pipe _stdin = new();

    /// <summary>What the client sends on the stdin channel; ends at its close (v5) or when the socket closes.</summary>
    public Stream StdinStream => _stdin.Reader.AsStream();

    public Stream Writer(byte channel, CancellationToken cancellationToken) => new ChannelWriter(this, channel, cancellationToken);

    public async Task SendAsync(byte channel, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var message = new byte[payload.Length + 1];
        message[0] = channel;
        payload.CopyTo(message.AsMemory(1));
        await _send.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>Reads the client's messages until the socket closes: stdin to <see cref="StdinStream"/>, resize ignored.</summary>
    public async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var bytes = message.ToArray();
                message.SetLength(0);
                if (bytes.Length == 0)
                {
                    continue;
                }

                if (bytes[0] == Stdin && bytes.Length > 1)
                {
                    await _stdin.Writer.WriteAsync(bytes.AsMemory(1), cancellationToken).ConfigureAwait(false);
                }
                else if (v5 && bytes[0] == Close && bytes.Length > 1 && bytes[1] == Stdin)
                {
                    await _stdin.Writer.CompleteAsync().ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            await _stdin.Writer.CompleteAsync().ConfigureAwait(false);
        }
    }

    private sealed class ChannelWriter(WebSocketChannels channels, byte channel, CancellationToken cancellationToken) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) =>
            WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken token = default)
        {
            if (buffer.IsEmpty)
            {
                return;
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, cancellationToken);
            await channels.SendAsync(channel, buffer, linked.Token).ConfigureAwait(false);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken token) =>
            WriteAsync(buffer.AsMemory(offset, count), token).AsTask();
    }
}
