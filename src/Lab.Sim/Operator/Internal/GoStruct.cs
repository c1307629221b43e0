namespace OtelLab.Sim.Operator.Internal;

/// <summary>
/// A Go struct in a YAML tree: marshalled in field (insertion) order, where maps are marshalled with sorted keys.
/// Fields are only ever added, so the dictionary's enumeration order is the insertion order.
/// </summary>
internal sealed class GoStruct : Dictionary<string, object?>
{
    public GoStruct()
        : base(StringComparer.Ordinal)
    {
    }
}
