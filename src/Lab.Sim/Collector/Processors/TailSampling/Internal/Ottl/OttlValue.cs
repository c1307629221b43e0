using System.Text;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal.Ottl;

internal enum OttlValueKind
{
    Nil,
    String,
    Int,
    Double,
    Bool,
    Bytes,

    /// <summary>A map or slice (pcommon.Map / pcommon.Slice upstream): equal to nothing, ordered against nothing.</summary>
    Other,
}

/// <summary>
/// What an OTTL getter returns, reduced to Go's dynamic types: nil, string, int64, float64, bool, []byte, or a
/// pdata container. Comparison follows pkg/ottl compare.go.
/// </summary>
internal readonly record struct OttlValue(OttlValueKind Kind, string String = "", long Int = 0, double Double = 0, bool Bool = false, byte[]? Bytes = null, AttributeValue Container = default)
{
    public static OttlValue Nil => default;

    public static OttlValue Of(string value) => new(OttlValueKind.String, String: value);

    public static OttlValue Of(long value) => new(OttlValueKind.Int, Int: value);

    public static OttlValue Of(bool value) => new(OttlValueKind.Bool, Bool: value);

    /// <summary>ottlcommon getValue: a pdata value as the Go type OTTL hands to comparisons.</summary>
    public static OttlValue Of(AttributeValue value) => value.Kind switch
    {
        AttributeValueKind.String => Of(value.Str),
        AttributeValueKind.Int => Of(value.Int),
        AttributeValueKind.Double => new(OttlValueKind.Double, Double: value.Double),
        AttributeValueKind.Bool => Of(value.Bool),
        AttributeValueKind.Bytes => new(OttlValueKind.Bytes, Bytes: value.Bytes.ToArray()),
        AttributeValueKind.Array or AttributeValueKind.Map => new(OttlValueKind.Other, Container: value),
        _ => Nil,
    };

    /// <summary>compare.go: nil equals only nil; numbers compare across int/float; mismatched types are only "!=".</summary>
    public static bool Compare(OttlValue a, OttlValue b, string op)
    {
        if (a.Kind == OttlValueKind.Nil && b.Kind == OttlValueKind.Nil)
        {
            return op is "==" or "<=" or ">=";
        }

        if (a.Kind == OttlValueKind.Nil || b.Kind == OttlValueKind.Nil)
        {
            return op == "!=";
        }

        return (a.Kind, b.Kind) switch
        {
            (OttlValueKind.Int, OttlValueKind.Int) => Ordered(a.Int.CompareTo(b.Int), op),
            (OttlValueKind.Int or OttlValueKind.Double, OttlValueKind.Int or OttlValueKind.Double) => Floats(a.AsDouble, b.AsDouble, op),
            (OttlValueKind.String, OttlValueKind.String) => Ordered(Utf8Compare(a.String, b.String), op),
            (OttlValueKind.Bool, OttlValueKind.Bool) => Ordered(a.Bool.CompareTo(b.Bool), op),
            (OttlValueKind.Bytes, OttlValueKind.Bytes) => Ordered(a.Bytes.AsSpan().SequenceCompareTo(b.Bytes), op),
            _ => op == "!=",
        };
    }

    private double AsDouble => Kind == OttlValueKind.Int ? Int : Double;

    private static bool Ordered(int order, string op) => op switch
    {
        "==" => order == 0,
        "!=" => order != 0,
        "<" => order < 0,
        "<=" => order <= 0,
        ">" => order > 0,
        _ => order >= 0,
    };

    // Go's float comparisons: any comparison with NaN is false except "!=".
    private static bool Floats(double a, double b, string op) => op switch
    {
        "==" => a == b,
        "!=" => a != b,
        "<" => a < b,
        "<=" => a <= b,
        ">" => a > b,
        _ => a >= b,
    };

    // Go compares strings bytewise (UTF-8), which differs from UTF-16 ordinal order above the BMP.
    private static int Utf8Compare(string a, string b) =>
        Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));
}
