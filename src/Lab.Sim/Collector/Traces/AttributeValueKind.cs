namespace OtelLab.Sim.Collector.Traces;

/// <summary>Which member of OTLP's <c>AnyValue</c> is set (pdata's <c>pcommon.ValueType</c>).</summary>
public enum AttributeValueKind
{
    Empty,
    String,
    Bool,
    Int,
    Double,
    Bytes,
    Array,
    Map,
}
