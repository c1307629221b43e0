using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Threading.Channels;

namespace OtelLab.Sim.ApiServer.Internal.Streams;

/// <summary>
/// The server side of a SPDY/3.1 connection as Kubernetes' streaming protocols use it (moby/spdystream, client-go
/// transport/spdy): the client opens streams with SYN_STREAM, the server answers SYN_REPLY and both send DATA; PING is
/// echoed; flow control is not enforced (spdystream does not enforce it either). Frames: SPDY/3 draft §2.2.
/// </summary>
internal sealed class SpdyConnection : IAsyncDisposable
{
    private const ushort SynStream = 1;
    private const ushort SynReply = 2;
    private const ushort RstStream = 3;
    private const ushort Ping = 6;
    private const ushort GoAway = 7;
    private const byte FlagFin = 0x01;
    private const int MaxFrameData = 32 * 1024;

    private readonly Stream _transport;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly SpdyHeaderBlock _headers = new();
    private readonly ConcurrentDictionary<uint, SpdyStream> _streams = new();
    private readonly Channel<SpdyStream> _opened = Channel.CreateUnbounded<SpdyStream>();
    private readonly CancellationTokenSource _closed = new();
    private Task _reading = Task.CompletedTask;

    public SpdyConnection(Stream transport)
    {
        _transport = transport;
    }

    /// <summary>Streams the client opens, in order; completes when the connection ends.</summary>
    public ChannelReader<SpdyStream> Opened => _opened.Reader;

    /// <summary>Cancelled when the connection ends.</summary>
    public CancellationToken Closed => _closed.Token;

    public void Start(CancellationToken cancellationToken) => _reading = ReadLoopAsync(cancellationToken);

    public async Task SendDataAsync(uint streamId, ReadOnlyMemory<byte> data, bool fin, CancellationToken cancellationToken)
    {
        do
        {
            var chunk = data[..Math.Min(MaxFrameData, data.Length)];
            data = data[chunk.Length..];
            var frame = new byte[8 + chunk.Length];
            BinaryPrimitives.WriteUInt32BigEndian(frame, streamId & 0x7FFFFFFF);
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), ((uint)(fin && data.IsEmpty ? FlagFin : 0) << 24) | (uint)chunk.Length);
            chunk.CopyTo(frame.AsMemory(8));
            await WriteFrameAsync(frame, cancellationToken).ConfigureAwait(false);
        }
        while (!data.IsEmpty);
    }

    public async ValueTask DisposeAsync()
    {
        await _closed.CancelAsync().ConfigureAwait(false);
        try
        {
            await _reading.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidDataException)
        {
        }

        await _headers.DisposeAsync().ConfigureAwait(false);
        _writeGate.Dispose();
        _closed.Dispose();
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
        var token = linked.Token;
        var header = new byte[8];
        try
        {
            while (true)
            {
                if (!await ReadFullyAsync(header, token).ConfigureAwait(false))
                {
                    break;
                }

                var length = (int)(BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4)) & 0xFFFFFF);
                var flags = header[4];
                var payload = new byte[length];
                if (!await ReadFullyAsync(payload, token).ConfigureAwait(false))
                {
                    break;
                }

                if ((header[0] & 0x80) == 0)
                {
                    var id = BinaryPrimitives.ReadUInt32BigEndian(header) & 0x7FFFFFFF;
                    if (_streams.TryGetValue(id, out var stream))
                    {
                        await stream.ReceiveAsync(payload, (flags & FlagFin) != 0, token).ConfigureAwait(false);
                    }

                    continue;
                }

                var type = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2));
                switch (type)
                {
                    case SynStream:
                        var id = BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7FFFFFFF;
                        var headers = await _headers.ReadAsync(payload.AsMemory(10), token).ConfigureAwait(false);
                        var stream = new SpdyStream(this, id, headers);
                        _streams[id] = stream;
                        await ReplyAsync(id, token).ConfigureAwait(false);
                        if ((flags & FlagFin) != 0)
                        {
                            await stream.ReceiveAsync(ReadOnlyMemory<byte>.Empty, fin: true, token).ConfigureAwait(false);
                        }

                        await _opened.Writer.WriteAsync(stream, token).ConfigureAwait(false);
                        break;
                    case RstStream:
                        if (_streams.TryRemove(BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7FFFFFFF, out var reset))
                        {
                            await reset.ReceiveAsync(ReadOnlyMemory<byte>.Empty, fin: true, token).ConfigureAwait(false);
                        }

                        break;
                    case Ping:
                        // upstream: spdystream connection.go handlePingFrame — a ping is answered with the same frame.
                        await WriteFrameAsync([.. header, .. payload], token).ConfigureAwait(false);
                        break;
                    case GoAway:
                        return;
                    default:
                        // SETTINGS, WINDOW_UPDATE, HEADERS: nothing to do for the streaming protocols.
                        break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or System.Net.WebSockets.WebSocketException)
        {
            // the client went away: the connection simply ends
        }
        finally
        {
            _opened.Writer.TryComplete();
            foreach (var stream in _streams.Values)
            {
                await stream.ReceiveAsync(ReadOnlyMemory<byte>.Empty, fin: true, CancellationToken.None).ConfigureAwait(false);
            }

            await _closed.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task ReplyAsync(uint streamId, CancellationToken cancellationToken)
    {
        byte[] block;
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Encoded under the write lock: header blocks share one compression stream, in frame order.
            block = _headers.Write(new Dictionary<string, string>());
            var frame = new byte[12 + block.Length];
            BinaryPrimitives.WriteUInt16BigEndian(frame, 0x8003);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), SynReply);
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)(4 + block.Length));
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), streamId);
            block.CopyTo(frame, 12);
            await _transport.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
            await _transport.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task WriteFrameAsync(byte[] frame, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _transport.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
            await _transport.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task<bool> ReadFullyAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await _transport.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
