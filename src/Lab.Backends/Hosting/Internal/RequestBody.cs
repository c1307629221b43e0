using System.Buffers;
using System.IO.Compression;
using Microsoft.AspNetCore.Http;

namespace OtelLab.Backends.Hosting.Internal;

/// <summary>Outcome of reading a request body.</summary>
internal enum BodyStatus
{
    Ok,
    /// <summary>Compressed or decompressed size above the cap (also a decompression bomb) → 413.</summary>
    TooLarge,
    /// <summary>Corrupt gzip/zlib stream → 400.</summary>
    BadEncoding,
    /// <summary>A Content-Encoding the backend does not speak → 415.</summary>
    UnsupportedEncoding,
}

/// <summary>The Content-Encodings a vendor endpoint decodes (identity is always accepted).</summary>
[Flags]
internal enum ContentEncodings
{
    None = 0,
    Gzip = 1,
    /// <summary>HTTP "deflate" = the zlib format (RFC 9110 §8.4.1.2), as Go's compress/zlib and pako.deflate write it.</summary>
    Deflate = 2,
    Zstd = 4,
}

/// <summary>
/// A request body read into a pooled buffer and decompressed (gzip, deflate = zlib, or identity) under two caps:
/// bytes on the wire and bytes after decompression. Dispose returns the buffer to the pool.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    private byte[]? _buffer;

    private RequestBody(BodyStatus status, byte[]? buffer, int length, long wireBytes)
    {
        Status = status;
        _buffer = buffer;
        Length = length;
        WireBytes = wireBytes;
    }

    public BodyStatus Status { get; }

    public int Length { get; }

    public long WireBytes { get; }

    public byte[] Buffer => _buffer ?? [];

    public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);

    public static async Task<RequestBody> ReadAsync(HttpRequest request, int maxWireBytes, int maxDecodedBytes, ContentEncodings accepted, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxWireBytes)
        {
            return new RequestBody(BodyStatus.TooLarge, null, 0, request.ContentLength.Value);
        }

        var encoding = request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        var known = encoding switch
        {
            "" or "identity" => true,
            "gzip" => accepted.HasFlag(ContentEncodings.Gzip),
            "deflate" => accepted.HasFlag(ContentEncodings.Deflate),
            "zstd" => accepted.HasFlag(ContentEncodings.Zstd),
            _ => false,
        };
        if (!known)
        {
            return new RequestBody(BodyStatus.UnsupportedEncoding, null, 0, request.ContentLength ?? 0);
        }

        var (raw, rawLength, rawStatus) = await ReadCappedAsync(request.Body, maxWireBytes, (int)Math.Min(request.ContentLength ?? 16 * 1024, maxWireBytes + 1L), cancellationToken).ConfigureAwait(false);
        if (rawStatus != BodyStatus.Ok || encoding is "" or "identity")
        {
            var status = rawStatus == BodyStatus.Ok && rawLength > maxDecodedBytes ? BodyStatus.TooLarge : rawStatus;
            return new RequestBody(status, raw, rawLength, rawLength);
        }

        try
        {
            using var compressed = new MemoryStream(raw, 0, rawLength, writable: false);
            using Stream inflater = encoding switch
            {
                "gzip" => new GZipStream(compressed, CompressionMode.Decompress),
                "zstd" => new ZstdSharp.DecompressionStream(compressed),
                _ => new ZLibStream(compressed, CompressionMode.Decompress),
            };
            var (decoded, decodedLength, decodedStatus) = await ReadCappedAsync(inflater, maxDecodedBytes, Math.Min(rawLength * 4 + 1024, maxDecodedBytes + 1), cancellationToken).ConfigureAwait(false);
            return new RequestBody(decodedStatus, decoded, decodedLength, rawLength);
        }
        catch (Exception e) when (e is InvalidDataException or ZstdSharp.ZstdException)
        {
            return new RequestBody(BodyStatus.BadEncoding, null, 0, rawLength);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
        }
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads at most <paramref name="max"/> bytes; one byte more means too large (the rest is not read).</summary>
    private static async Task<(byte[] Buffer, int Length, BodyStatus Status)> ReadCappedAsync(Stream source, int max, int initial, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initial, 4096));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > max)
                    {
                        return (buffer, length, BodyStatus.TooLarge);
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, max + 1L));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await source.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, max + 1) - length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (buffer, length, length > max ? BodyStatus.TooLarge : BodyStatus.Ok);
                }

                length += read;
                if (length > max)
                {
                    return (buffer, length, BodyStatus.TooLarge);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or ZstdSharp.ZstdException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}
