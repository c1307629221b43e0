using System.Buffers.Binary;
using System.Text;

namespace OtelLab.Model.Protobuf;

/// <summary>
/// Reads a protobuf message field by field, in wire order, without building objects (protobuf.dev "Encoding": a tag
/// is a varint of field number and wire type — 0 varint, 1 fixed 64-bit, 2 length-delimited, 5 fixed 32-bit; groups,
/// 3 and 4, are not read). A nested message is read by a reader over the same data (<see cref="Message"/>), so
/// <see cref="Start"/> and <see cref="End"/> are offsets into the outermost message and a caller can keep the exact
/// bytes of an element. A value that runs past its message throws <see cref="InvalidDataException"/>.
/// </summary>
internal ref struct ProtobufReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly int _end;
    private int _at;

    public ProtobufReader(ReadOnlySpan<byte> data)
        : this(data, 0, data.Length)
    {
    }

    private ProtobufReader(ReadOnlySpan<byte> data, int start, int end)
    {
        _data = data;
        _at = start;
        _end = end;
        Start = start;
    }

    /// <summary>The field number of the field <see cref="Next"/> moved to.</summary>
    public int Field { get; private set; }

    /// <summary>Its wire type.</summary>
    public int WireType { get; private set; }

    /// <summary>Where this message starts in the outermost one.</summary>
    public int Start { get; }

    /// <summary>Where it ends (exclusive).</summary>
    public readonly int End => _end;

    /// <summary>True when every field of the message has been read.</summary>
    public readonly bool AtEnd => _at >= _end;

    /// <summary>Moves to the next field; false at the end of the message.</summary>
    public bool Next()
    {
        if (AtEnd)
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
            if (_at >= _end)
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

    public ulong Fixed64()
    {
        if (_end - _at < 8)
        {
            throw Truncated();
        }

        var value = BinaryPrimitives.ReadUInt64LittleEndian(_data.Slice(_at, 8));
        _at += 8;
        return value;
    }

    public double Double() => BitConverter.UInt64BitsToDouble(Fixed64());

    public ReadOnlySpan<byte> Bytes()
    {
        var (start, length) = Length();
        _at += length;
        return _data.Slice(start, length);
    }

    /// <summary>A reader over the length-delimited value at hand, a nested message.</summary>
    public ProtobufReader Message()
    {
        var (start, length) = Length();
        _at += length;
        return new ProtobufReader(_data, start, start + length);
    }

    public string String() => Encoding.UTF8.GetString(Bytes());

    /// <summary>
    /// A string field as protobuf's generated decoders read a proto3 string: false (and "") when its bytes are not
    /// UTF-8, a message they refuse (Google.Protobuf: "String is invalid UTF-8").
    /// </summary>
    public bool TryString(out string value)
    {
        var bytes = Bytes();
        var valid = System.Text.Unicode.Utf8.IsValid(bytes);
        value = valid ? Encoding.UTF8.GetString(bytes) : "";
        return valid;
    }

    /// <summary>Skips the current field's value.</summary>
    public void Skip()
    {
        switch (WireType)
        {
            case 0: Varint(); break;
            case 1: Fixed64(); break;
            case 2: Bytes(); break;
            case 5:
                if (_end - _at < 4)
                {
                    throw Truncated();
                }

                _at += 4;
                break;
            default: throw new InvalidDataException($"unsupported wire type {WireType} (field {Field})");
        }
    }

    private (int Start, int Length) Length()
    {
        var length = Varint();
        if (length > (ulong)(_end - _at))
        {
            throw Truncated();
        }

        return (_at, (int)length);
    }

    private static InvalidDataException Truncated() => new("unexpected EOF");
}
