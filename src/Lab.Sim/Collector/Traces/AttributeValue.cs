using System.Globalization;

namespace OtelLab.Sim.Collector.Traces;

/// <summary>
/// An OTLP <c>AnyValue</c>, reduced to what the emulated processors read. Accessors follow pdata's
/// <c>pcommon.Value</c>: <see cref="Str"/> is "" and <see cref="Int"/> is 0 when the value holds another type,
/// which upstream policies rely on (e.g. a numeric_attribute filter reads a string attribute as 0).
/// </summary>
public readonly struct AttributeValue : IEquatable<AttributeValue>
{
    private readonly string? _string;
    private readonly long _int;
    private readonly double _double;
    private readonly object? _composite;

    private AttributeValue(AttributeValueKind kind, string? s = null, long i = 0, double d = 0, object? composite = null)
    {
        Kind = kind;
        _string = s;
        _int = i;
        _double = d;
        _composite = composite;
    }

    public AttributeValueKind Kind { get; }

    /// <summary>pdata <c>Value.Str()</c>: the string, or "" for any other type.</summary>
    public string Str => Kind == AttributeValueKind.String ? _string ?? string.Empty : string.Empty;

    /// <summary>pdata <c>Value.Int()</c>: the integer, or 0 for any other type.</summary>
    public long Int => Kind == AttributeValueKind.Int ? _int : 0;

    /// <summary>pdata <c>Value.Double()</c>: the double, or 0 for any other type.</summary>
    public double Double => Kind == AttributeValueKind.Double ? _double : 0;

    /// <summary>pdata <c>Value.Bool()</c>: the boolean, or false for any other type.</summary>
    public bool Bool => Kind == AttributeValueKind.Bool && _int != 0;

    /// <summary>The elements of an array value (empty for other types).</summary>
    public IReadOnlyList<AttributeValue> Array => _composite as IReadOnlyList<AttributeValue> ?? [];

    /// <summary>The entries of a kvlist value (empty for other types).</summary>
    public IReadOnlyDictionary<string, AttributeValue> Map =>
        _composite as IReadOnlyDictionary<string, AttributeValue> ?? EmptyMap;

    /// <summary>The raw bytes of a bytes value (empty for other types).</summary>
    public ReadOnlyMemory<byte> Bytes => _composite is byte[] b ? b : ReadOnlyMemory<byte>.Empty;

    private static readonly IReadOnlyDictionary<string, AttributeValue> EmptyMap = new Dictionary<string, AttributeValue>();

    public static AttributeValue Empty => default;

    public static AttributeValue FromString(string value) => new(AttributeValueKind.String, s: value);

    public static AttributeValue FromInt(long value) => new(AttributeValueKind.Int, i: value);

    public static AttributeValue FromDouble(double value) => new(AttributeValueKind.Double, d: value);

    public static AttributeValue FromBool(bool value) => new(AttributeValueKind.Bool, i: value ? 1 : 0);

    public static AttributeValue FromBytes(byte[] value) => new(AttributeValueKind.Bytes, composite: value);

    public static AttributeValue FromArray(IReadOnlyList<AttributeValue> values) => new(AttributeValueKind.Array, composite: values);

    public static AttributeValue FromMap(IReadOnlyDictionary<string, AttributeValue> values) => new(AttributeValueKind.Map, composite: values);

    public static implicit operator AttributeValue(string value) => FromString(value);

    public static implicit operator AttributeValue(long value) => FromInt(value);

    public static implicit operator AttributeValue(bool value) => FromBool(value);

    public static implicit operator AttributeValue(double value) => FromDouble(value);

    /// <summary>A human-readable rendering (pdata <c>AsString</c>-like) for reports.</summary>
    public override string ToString() => Kind switch
    {
        AttributeValueKind.String => _string ?? string.Empty,
        AttributeValueKind.Bool => Bool ? "true" : "false",
        AttributeValueKind.Int => _int.ToString(CultureInfo.InvariantCulture),
        AttributeValueKind.Double => _double.ToString("R", CultureInfo.InvariantCulture),
        AttributeValueKind.Bytes => Convert.ToBase64String(Bytes.Span),
        AttributeValueKind.Array => "[" + string.Join(",", Array) + "]",
        AttributeValueKind.Map => "{" + string.Join(",", Map.Select(kv => kv.Key + ":" + kv.Value)) + "}",
        _ => string.Empty,
    };

    public bool Equals(AttributeValue other) =>
        Kind == other.Kind && _string == other._string && _int == other._int && _double.Equals(other._double)
        && Equals(_composite, other._composite);

    public override bool Equals(object? obj) => obj is AttributeValue other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, _string, _int, _double);

    public static bool operator ==(AttributeValue left, AttributeValue right) => left.Equals(right);

    public static bool operator !=(AttributeValue left, AttributeValue right) => !left.Equals(right);
}
