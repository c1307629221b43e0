using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Pipelines;
using System.Text;

namespace OtelLab.Sim.ApiServer.Internal.Streams;

/// <summary>
/// SPDY/3 name/value header blocks: one zlib stream per direction and connection, primed with the protocol's
/// dictionary (SPDY/3 draft §2.6.10.1; moby/spdystream spdy/read.go and write.go use the same).
/// </summary>
/// <remarks>
/// .NET's zlib wrappers cannot take a preset dictionary, so the reader feeds the inflater a stored (uncompressed)
/// deflate block holding the dictionary first: the dictionary then sits in the inflater's window exactly as a preset
/// dictionary would, and the peer's back-references into it resolve. The writer needs no dictionary at all: it sends
/// stored blocks, each followed by an empty one as a sync flush does (a valid zlib stream without FDICT, which Go's
/// zlib.NewReaderDict accepts).
/// </remarks>
internal sealed class SpdyHeaderBlock : IAsyncDisposable
{
    /// <summary>The SPDY/3 header dictionary (1423 bytes, zlib dictionary id 0xe3c6a7c2).</summary>
    public static readonly byte[] Dictionary = Convert.FromBase64String(
        "AAAAB29wdGlvbnMAAAAEaGVhZAAAAARwb3N0AAAAA3B1dAAAAAZkZWxldGUAAAAFdHJhY2UAAAAGYWNjZXB0AAAADmFjY2VwdC1jaGFyc2V0AAAAD2FjY2VwdC1lbmNvZGluZwAAAA9hY2NlcHQtbGFuZ3VhZ2UAAAANYWNjZXB0LXJhbmdlcwAAAANhZ2UAAAAFYWxsb3cAAAANYXV0aG9yaXphdGlvbgAAAA1jYWNoZS1jb250cm9sAAAACmNvbm5lY3Rpb24AAAAMY29udGVudC1iYXNlAAAAEGNvbnRlbnQtZW5jb2RpbmcAAAAQY29udGVudC1sYW5ndWFnZQAAAA5jb250ZW50LWxlbmd0aAAAABBjb250ZW50LWxvY2F0aW9uAAAAC2NvbnRlbnQtbWQ1AAAADWNvbnRlbnQtcmFuZ2UAAAAMY29udGVudC10eXBlAAAABGRhdGUAAAAEZXRhZwAAAAZleHBlY3QAAAAHZXhwaXJlcwAAAARmcm9tAAAABGhvc3QAAAAIaWYtbWF0Y2gAAAARaWYtbW9kaWZpZWQtc2luY2UAAAANaWYtbm9uZS1tYXRjaAAAAAhpZi1yYW5nZQAAABNpZi11bm1vZGlmaWVkLXNpbmNlAAAADWxhc3QtbW9kaWZpZWQAAAAIbG9jYXRpb24AAAAMbWF4LWZvcndhcmRzAAAABnByYWdtYQAAABJwcm94eS1hdXRoZW50aWNhdGUAAAATcHJveHktYXV0aG9yaXphdGlvbgAAAAVyYW5nZQAAAAdyZWZlcmVyAAAAC3JldHJ5LWFmdGVyAAAABnNlcnZlcgAAAAJ0ZQAAAAd0cmFpbGVyAAAAEXRyYW5zZmVyLWVuY29kaW5nAAAAB3VwZ3JhZGUAAAAKdXNlci1hZ2VudAAAAAR2YXJ5AAAAA3ZpYQAAAAd3YXJuaW5nAAAAEHd3dy1hdXRoZW50aWNhdGUAAAAGbWV0aG9kAAAAA2dldAAAAAZzdGF0dXMAAAAGMjAwIE9LAAAAB3ZlcnNpb24AAAAISFRUUC8xLjEAAAADdXJsAAAABnB1YmxpYwAAAApzZXQtY29va2llAAAACmtlZXAtYWxpdmUAAAAGb3JpZ2luMTAwMTAxMjAxMjAyMjA1MjA2MzAwMzAyMzAzMzA0MzA1MzA2MzA3NDAyNDA1NDA2NDA3NDA4NDA5NDEwNDExNDEyNDEzNDE0NDE1NDE2NDE3NTAyNTA0NTA1MjAzIE5vbi1BdXRob3JpdGF0aXZlIEluZm9ybWF0aW9uMjA0IE5vIENvbnRlbnQzMDEgTW92ZWQgUGVybWFuZW50bHk0MDAgQmFkIFJlcXVlc3Q0MDEgVW5hdXRob3JpemVkNDAzIEZvcmJpZGRlbjQwNCBOb3QgRm91bmQ1MDAgSW50ZXJuYWwgU2VydmVyIEVycm9yNTAxIE5vdCBJbXBsZW1lbnRlZDUwMyBTZXJ2aWNlIFVuYXZhaWxhYmxlSmFuIEZlYiBNYXIgQXByIE1heSBKdW4gSnVsIEF1ZyBTZXB0IE9jdCBOb3YgRGVjIDAwOjAwOjAwIE1vbiwgVHVlLCBXZWQsIFRodSwgRnJpLCBTYXQsIFN1biwgR01UY2h1bmtlZCx0ZXh0L2h0bWwsaW1hZ2UvcG5nLGltYWdlL2pwZyxpbWFnZS9naWYsYXBwbGljYXRpb24veG1sLGFwcGxpY2F0aW9uL3hodG1sK3htbCx0ZXh0L3BsYWluLHRleHQvamF2YXNjcmlwdCxwdWJsaWNwcml2YXRlbWF4LWFnZT1nemlwLGRlZmxhdGUsc2RjaGNoYXJzZXQ9dXRmLThjaGFyc2V0PWlzby04ODU5LTEsdXRmLSwqLGVucT0wLg==");

    private readonly Pipe _compressed = new();
    private readonly DeflateStream _inflater;
    private bool _readerStarted;
    private bool _writerStarted;

    public SpdyHeaderBlock()
    {
        _inflater = new DeflateStream(_compressed.Reader.AsStream(), CompressionMode.Decompress);
    }

    /// <summary>Decodes one frame's header block (the frames' compressed bytes form one stream).</summary>
    public async Task<Dictionary<string, string>> ReadAsync(ReadOnlyMemory<byte> block, CancellationToken cancellationToken)
    {
        if (!_readerStarted)
        {
            _readerStarted = true;
            if (block.Length < 2)
            {
                throw new InvalidDataException("SPDY header block shorter than a zlib header");
            }

            // zlib header: CMF, FLG; FDICT (0x20) adds the 4-byte dictionary id.
            var skip = (block.Span[1] & 0x20) != 0 ? 6 : 2;
            block = block[skip..];
            await WriteStoredAsync(_compressed.Writer, Dictionary, cancellationToken).ConfigureAwait(false);
            await _compressed.Writer.WriteAsync(block, cancellationToken).ConfigureAwait(false);
            var primed = new byte[Dictionary.Length];
            await _inflater.ReadExactlyAsync(primed, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _compressed.Writer.WriteAsync(block, cancellationToken).ConfigureAwait(false);
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var count = await ReadInt32Async(cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < count; i++)
        {
            var name = await ReadStringAsync(cancellationToken).ConfigureAwait(false);
            var value = await ReadStringAsync(cancellationToken).ConfigureAwait(false);

            // Several values of one name are joined by NUL (SPDY/3 §2.6.10): the first is the one used here.
            headers[name] = value.Split('\0')[0];
        }

        return headers;
    }

    /// <summary>Encodes a header block as zlib stored blocks (lower-case names, as SPDY/3 requires).</summary>
    public byte[] Write(IReadOnlyDictionary<string, string> headers)
    {
        var raw = new MemoryStream();
        Span<byte> int32 = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(int32, headers.Count);
        raw.Write(int32);
        foreach (var (name, value) in headers)
        {
            foreach (var text in new[] { name.ToLowerInvariant(), value })
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                BinaryPrimitives.WriteInt32BigEndian(int32, bytes.Length);
                raw.Write(int32);
                raw.Write(bytes);
            }
        }

        var output = new MemoryStream();
        if (!_writerStarted)
        {
            _writerStarted = true;

            // CMF 0x78 (deflate, 32K window), FLG 0x01: no dictionary, check bits so that 0x7801 % 31 == 0.
            output.WriteByte(0x78);
            output.WriteByte(0x01);
        }

        WriteStored(output, raw.ToArray());

        // Then an empty stored block, the marker a zlib sync flush ends with: Go's flate reader hands out a block's
        // data only when the next block header is readable (compress/flate inflate.go finishBlock/Read), and without
        // one it reads past the frame and fails the next header block with ErrUnexpectedEOF.
        WriteStored(output, []);
        return output.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _compressed.Writer.CompleteAsync().ConfigureAwait(false);
        await _inflater.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task WriteStoredAsync(PipeWriter writer, byte[] data, CancellationToken cancellationToken)
    {
        var block = new MemoryStream();
        WriteStored(block, data);
        await writer.WriteAsync(block.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    // A non-final stored deflate block (BFINAL 0, BTYPE 00, byte-aligned), LEN and NLEN little-endian: RFC 1951 §3.2.4.
    private static void WriteStored(Stream output, byte[] data)
    {
        var offset = 0;
        do
        {
            var length = Math.Min(65535, data.Length - offset);
            output.WriteByte(0x00);
            output.WriteByte((byte)length);
            output.WriteByte((byte)(length >> 8));
            output.WriteByte((byte)~length);
            output.WriteByte((byte)(~length >> 8));
            output.Write(data, offset, length);
            offset += length;
        }
        while (offset < data.Length);
    }

    private async Task<int> ReadInt32Async(CancellationToken cancellationToken)
    {
        var buffer = new byte[4];
        await _inflater.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        return BinaryPrimitives.ReadInt32BigEndian(buffer);
    }

    private async Task<string> ReadStringAsync(CancellationToken cancellationToken)
    {
        var length = await ReadInt32Async(cancellationToken).ConfigureAwait(false);
        if (length is < 0 or > 1 << 20)
        {
            throw new InvalidDataException($"SPDY header of {length} bytes");
        }

        var buffer = new byte[length];
        await _inflater.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(buffer);
    }
}
