using System.Collections;
using System.Diagnostics;

namespace OtelLab.Sim.Relabeling;

/// <summary>
/// An immutable label set sorted by name, like Prometheus <c>labels.Labels</c>. Names compare ordinally, which is
/// Go's byte order for every name that has no character above U+FFFF.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class LabelSet : IReadOnlyList<Label>, IEquatable<LabelSet>
{
    private readonly Label[] _labels;

    /// <summary>The empty label set.</summary>
    public static LabelSet Empty { get; } = new([]);

    private LabelSet(Label[] sortedUnique) => _labels = sortedUnique;

    /// <summary>Builds a label set; a later duplicate name wins, empty values are dropped (Prometheus: empty = absent).</summary>
    public static LabelSet From(IEnumerable<Label> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            byName[label.Name] = label.Value;
        }

        return FromDictionary(byName);
    }

    /// <summary>Builds a label set from name/value pairs.</summary>
    public static LabelSet From(params (string Name, string Value)[] labels) =>
        From(labels.Select(l => new Label(l.Name, l.Value)));

    /// <summary>Builds a label set from a dictionary; empty values are dropped.</summary>
    public static LabelSet FromDictionary(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var array = labels.Where(kv => kv.Value.Length > 0).Select(kv => new Label(kv.Key, kv.Value)).ToArray();
        Array.Sort(array, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return array.Length == 0 ? Empty : new LabelSet(array);
    }

    /// <summary>Wraps an array the caller guarantees to be sorted by name with unique names.</summary>
    internal static LabelSet FromSorted(Label[] sortedUnique) => sortedUnique.Length == 0 ? Empty : new LabelSet(sortedUnique);

    public int Count => _labels.Length;

    public Label this[int index] => _labels[index];

    /// <summary>The value of a label, or "" when absent (Prometheus semantics).</summary>
    public string Get(string name)
    {
        var index = IndexOf(name);
        return index >= 0 ? _labels[index].Value : "";
    }

    /// <summary>True when the set has a label of that name.</summary>
    public bool Has(string name) => IndexOf(name) >= 0;

    private int IndexOf(string name)
    {
        int lo = 0, hi = _labels.Length - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            var cmp = string.CompareOrdinal(_labels[mid].Name, name);
            if (cmp == 0)
            {
                return mid;
            }

            if (cmp < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }

    /// <summary>The labels as a name → value dictionary.</summary>
    public IReadOnlyDictionary<string, string> ToDictionary() =>
        _labels.ToDictionary(l => l.Name, l => l.Value, StringComparer.Ordinal);

    public IEnumerator<Label> GetEnumerator() => ((IEnumerable<Label>)_labels).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _labels.GetEnumerator();

    public bool Equals(LabelSet? other) => other is not null && _labels.AsSpan().SequenceEqual(other._labels);

    public override bool Equals(object? obj) => Equals(obj as LabelSet);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var label in _labels)
        {
            hash.Add(label);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => "{" + string.Join(", ", _labels.Select(l => l.ToString())) + "}";
}
