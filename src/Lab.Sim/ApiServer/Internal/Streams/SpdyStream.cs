using System.IO.Pipelines;

namespace OtelLab.Sim.ApiServer.Internal.Streams;

/// <summary>One SPDY stream the client opened: its headers (<c>streamType</c>, <c>port</c>, <c>requestID</c>), what it sends, and a way to answer.</summary>
internal sealed class SpdyStream(SpdyConnection connection, uint id, IReadOnlyDictionary<string, string> headers)
{
    private readonly Pipe _incoming = new();
    private int _finished;
    private int _closed;

    public uint Id => id;

    public IReadOnlyDictionary<string, string> Headers => headers;

    public string? Header(string name) => headers.TryGetValue(name, out var v) ? v : null;

    /// <summary>What the client sends on this stream; ends at its FIN.</summary>
    public Stream Incoming => _incoming.Reader.AsStream();

    public Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        Volatile.Read(ref _closed) == 1 ? Task.CompletedTask : connection.SendDataAsync(id, data, fin: false, cancellationToken);

    /// <summary>Half-closes the stream from the server's side (an empty DATA frame with FIN), once.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            try
            {
                await connection.SendDataAsync(id, ReadOnlyMemory<byte>.Empty, fin: true, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
            {
                // the connection is gone already
            }
        }
    }

    /// <summary>A stream writing DATA frames on this SPDY stream.</summary>
    public Stream Outgoing(CancellationToken cancellationToken) => new FrameWriter(this, cancellationToken);

    internal async Task ReceiveAsync(ReadOnlyMemory<byte> data, bool fin, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _finished) == 1)
        {
            return;
        }

        if (!data.IsEmpty)
        {
            await _incoming.Writer.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        }

        if (fin && Interlocked.Exchange(ref _finished, 1) == 0)
        {
            await _incoming.Writer.CompleteAsync().ConfigureAwait(false);
        }
    }

    private sealed class FrameWriter(SpdyStream stream, CancellationToken cancellationToken) : Stream
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
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, cancellationToken);
            await stream.WriteAsync(buffer, linked.Token).ConfigureAwait(false);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken token) =>
            WriteAsync(buffer.AsMemory(offset, count), token).AsTask();
    }
}
