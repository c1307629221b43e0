using System.Buffers.Binary;
using System.Globalization;

namespace OtelLab.Sim.Collector.Traces;

/// <summary>A 16-byte W3C/OTLP trace id, stored big-endian as two 64-bit halves so it is cheap to hash and compare.</summary>
public readonly record struct TraceId(ulong High, ulong Low)
{
    /// <summary>Number of raw bytes in a trace id.</summary>
    public const int Size = 16;

    /// <summary>The all-zero id, which OTLP treats as invalid.</summary>
    public static TraceId Empty => default;

    public bool IsEmpty => High == 0 && Low == 0;

    /// <summary>Builds an id from its 16 raw bytes (network order, as OTLP carries them).</summary>
    public static TraceId FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"a trace id has {Size} bytes, got {bytes.Length}", nameof(bytes));
        }

        return new TraceId(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
    }

    /// <summary>Writes the 16 raw bytes in the order OTLP carries them (what upstream hashes).</summary>
    public void WriteBytes(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, High);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Low);
    }

    /// <summary>Parses 32 hex digits (either case), as OTLP/JSON encodes trace ids.</summary>
    public static bool TryParseHex(ReadOnlySpan<char> hex, out TraceId id)
    {
        id = default;
        if (hex.Length != 2 * Size
            || !ulong.TryParse(hex[..16], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var high)
            || !ulong.TryParse(hex[16..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var low))
        {
            return false;
        }

        id = new TraceId(high, low);
        return true;
    }

    /// <summary>Parses 32 hex digits or throws <see cref="FormatException"/>.</summary>
    public static TraceId ParseHex(string hex) =>
        TryParseHex(hex, out var id) ? id : throw new FormatException($"'{hex}' is not a trace id (32 hex digits)");

    /// <summary>Lower-case hex, the OTLP/JSON and W3C form.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{High:x16}{Low:x16}");
}
