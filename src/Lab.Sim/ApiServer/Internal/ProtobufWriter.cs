using System.Text;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>The few protobuf wire forms the OpenAPI v2 document needs: length-delimited fields (strings, messages) and varint booleans.</summary>
internal sealed class ProtobufWriter
{
    private readonly MemoryStream _buffer = new();

    public ProtobufWriter String(int field, string? value)
    {
        // proto3: an empty string is the default and is not written.
        return string.IsNullOrEmpty(value) ? this : Bytes(field, Encoding.UTF8.GetBytes(value));
    }

    public ProtobufWriter Message(int field, ProtobufWriter message) => Bytes(field, message.ToArray());

    public ProtobufWriter Bool(int field, bool value)
    {
        if (value)
        {
            Varint((ulong)(field << 3));
            Varint(1);
        }

        return this;
    }

    public byte[] ToArray() => _buffer.ToArray();

    private ProtobufWriter Bytes(int field, byte[] bytes)
    {
        Varint((ulong)((field << 3) | 2));
        Varint((ulong)bytes.Length);
        _buffer.Write(bytes);
        return this;
    }

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _buffer.WriteByte((byte)value);
    }
}
