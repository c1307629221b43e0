namespace OtelLab.Sim.Operator.Internal;

/// <summary>
/// A Go struct in a YAML tree: marshalled in field (insertion) order, where maps are marshalled with sorted keys.
/// Fields are only ever added, so the dictionary's enumeration order is the insertion order.
/// </summary>
internal sealed class GoStructMap : Dictionary<string, object?>
{
    public GoStructMap()
        : base(StringComparer.Ordinal)
    {
    }
}
