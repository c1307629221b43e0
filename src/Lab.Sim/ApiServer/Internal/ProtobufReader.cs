using System.Text;
using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>Reads protobuf fields one by one (varint and length-delimited; fixed 32/64-bit fields are skipped).</summary>
internal ref struct ProtobufReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _at;

    public int Field { get; private set; }

    public int WireType { get; private set; }

    /// <summary>Moves to the next field; false at the end.</summary>
    public bool Next()
    {
        if (_at >= _data.Length)
        {
            return false;
        }

        var tag = Varint();
        (Field, WireType) = ((int)(tag >> 3), (int)(tag & 7));
        return true;
    }

    public ulong Varint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_at >= _data.Length)
            {
                throw Truncated();
            }

            var b = _data[_at++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw Truncated();
    }

    public ReadOnlySpan<byte> Bytes()
    {
        var length = (int)Varint();
        if (length < 0 || _at + length > _data.Length)
        {
            throw Truncated();
        }

        var bytes = _data.Slice(_at, length);
        _at += length;
        return bytes;
    }

    public string String() => Encoding.UTF8.GetString(Bytes());

    /// <summary>Skips the current field's value.</summary>
    public void Skip()
    {
        switch (WireType)
        {
            case 0: Varint(); break;
            case 1: _at += 8; break;
            case 2: Bytes(); break;
            case 5: _at += 4; break;
            default: throw Truncated();
        }
    }

    private static ClusterApiException Truncated() => new(400, "BadRequest", "unable to decode the protobuf body: unexpected EOF");
}
