namespace OtelLab.Tests.Backends;

/// <summary>Protobuf fields written byte by byte, for messages no marshaller writes (reordered, repeated, unknown, malformed).</summary>
internal static class ProtobufWire
{
    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    public static byte[] Varint(int field, ulong value) => Concat(Tag(field, 0), Varint(value));

    public static byte[] Length(int field, byte[] payload) => Concat(Tag(field, 2), Varint((ulong)payload.Length), payload);

    /// <summary>A fixed 64-bit field of zeros (a double 0.0).</summary>
    public static byte[] Fixed64(int field) => Concat(Tag(field, 1), new byte[8]);

    public static byte[] Fixed32(int field) => Concat(Tag(field, 5), new byte[4]);

    private static byte[] Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

    private static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            bytes.Add((byte)((value & 0x7f) | (value > 0x7f ? 0x80u : 0)));
            value >>= 7;
        }
        while (value > 0);
        return [.. bytes];
    }
}
