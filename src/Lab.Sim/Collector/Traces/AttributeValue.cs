using System.Globalization;

namespace OtelLab.Sim.Collector.Traces;

/// <summary>
/// An OTLP <c>AnyValue</c>, reduced to what the emulated processors read. Accessors follow pdata's
/// <c>pcommon.Value</c>: <see cref="Str"/> is "" and <see cref="Int"/> is 0 when the value holds another type,
/// which upstream policies rely on (e.g. a numeric_attribute filter reads a string attribute as 0).
/// </summary>
public readonly struct AttributeValue : IEquatable<AttributeValue>
{
    // One reference (the string, or the bytes, array or map) and one 64-bit word (the integer, the boolean, or the
    // double's bits): 24 bytes a value instead of a field per type. Attribute maps hold one per entry, for every point
    // and span the lab carries.
    private readonly object? _ref;
    private readonly long _bits;

    private AttributeValue(AttributeValueKind kind, object? reference, long bits)
    {
        Kind = kind;
        _ref = reference;
        _bits = bits;
    }

    public AttributeValueKind Kind { get; }

    /// <summary>pdata <c>Value.Str()</c>: the string, or "" for any other type.</summary>
    public string Str => Kind == AttributeValueKind.String ? _ref as string ?? string.Empty : string.Empty;

    /// <summary>pdata <c>Value.Int()</c>: the integer, or 0 for any other type.</summary>
    public long Int => Kind == AttributeValueKind.Int ? _bits : 0;

    /// <summary>pdata <c>Value.Double()</c>: the double, or 0 for any other type.</summary>
    public double Double => Kind == AttributeValueKind.Double ? BitConverter.Int64BitsToDouble(_bits) : 0;

    /// <summary>pdata <c>Value.Bool()</c>: the boolean, or false for any other type.</summary>
    public bool Bool => Kind == AttributeValueKind.Bool && _bits != 0;

    /// <summary>The elements of an array value (empty for other types).</summary>
    public IReadOnlyList<AttributeValue> Array => Kind == AttributeValueKind.Array ? _ref as IReadOnlyList<AttributeValue> ?? [] : [];

    /// <summary>The entries of a kvlist value (empty for other types).</summary>
    public IReadOnlyDictionary<string, AttributeValue> Map =>
        Kind == AttributeValueKind.Map ? _ref as IReadOnlyDictionary<string, AttributeValue> ?? EmptyMap : EmptyMap;

    /// <summary>The raw bytes of a bytes value (empty for other types).</summary>
    public ReadOnlyMemory<byte> Bytes => Kind == AttributeValueKind.Bytes && _ref is byte[] b ? b : ReadOnlyMemory<byte>.Empty;

    private static readonly IReadOnlyDictionary<string, AttributeValue> EmptyMap = new Dictionary<string, AttributeValue>();

    public static AttributeValue Empty => default;

    public static AttributeValue FromString(string value) => new(AttributeValueKind.String, value, 0);

    public static AttributeValue FromInt(long value) => new(AttributeValueKind.Int, null, value);

    public static AttributeValue FromDouble(double value) => new(AttributeValueKind.Double, null, BitConverter.DoubleToInt64Bits(value));

    public static AttributeValue FromBool(bool value) => new(AttributeValueKind.Bool, null, value ? 1 : 0);

    public static AttributeValue FromBytes(byte[] value) => new(AttributeValueKind.Bytes, value, 0);

    public static AttributeValue FromArray(IReadOnlyList<AttributeValue> values) => new(AttributeValueKind.Array, values, 0);

    public static AttributeValue FromMap(IReadOnlyDictionary<string, AttributeValue> values) => new(AttributeValueKind.Map, values, 0);

    public static implicit operator AttributeValue(string value) => FromString(value);

    public static implicit operator AttributeValue(long value) => FromInt(value);

    public static implicit operator AttributeValue(bool value) => FromBool(value);

    public static implicit operator AttributeValue(double value) => FromDouble(value);

    /// <summary>A human-readable rendering (pdata <c>AsString</c>-like) for reports.</summary>
    public override string ToString() => Kind switch
    {
        AttributeValueKind.String => Str,
        AttributeValueKind.Bool => Bool ? "true" : "false",
        AttributeValueKind.Int => _bits.ToString(CultureInfo.InvariantCulture),
        AttributeValueKind.Double => Double.ToString("R", CultureInfo.InvariantCulture),
        AttributeValueKind.Bytes => Convert.ToBase64String(Bytes.Span),
        AttributeValueKind.Array => "[" + string.Join(",", Array) + "]",
        AttributeValueKind.Map => "{" + string.Join(",", Map.Select(kv => kv.Key + ":" + kv.Value)) + "}",
        _ => string.Empty,
    };

    // Strings and numbers compare by value (a double as double.Equals does: 0 and -0 alike, NaN equal to NaN); bytes,
    // arrays and maps by reference.
    public bool Equals(AttributeValue other) => Kind == other.Kind && Kind switch
    {
        AttributeValueKind.String => string.Equals(_ref as string, other._ref as string, StringComparison.Ordinal),
        AttributeValueKind.Double => Double.Equals(other.Double),
        AttributeValueKind.Bool or AttributeValueKind.Int => _bits == other._bits,
        _ => Equals(_ref, other._ref),
    };

    public override bool Equals(object? obj) => obj is AttributeValue other && Equals(other);

    public override int GetHashCode() => Kind switch
    {
        AttributeValueKind.String => HashCode.Combine(Kind, _ref as string),
        AttributeValueKind.Double => HashCode.Combine(Kind, Double),
        AttributeValueKind.Bool or AttributeValueKind.Int => HashCode.Combine(Kind, _bits),
        _ => Kind.GetHashCode(),
    };

    public static bool operator ==(AttributeValue left, AttributeValue right) => left.Equals(right);

    public static bool operator !=(AttributeValue left, AttributeValue right) => !left.Equals(right);
}
