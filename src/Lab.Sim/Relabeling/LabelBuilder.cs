namespace OtelLab.Sim.Relabeling;

/// <summary>
/// A port of Prometheus <c>labels.Builder</c> (prometheus/prometheus model/labels/labels_common.go): a base set plus
/// pending deletions and additions. <see cref="Range"/> keeps upstream's order — untouched base labels in name order,
/// then added labels in the order they were first set — because the target allocator hashes labels in that order.
/// </summary>
public sealed class LabelBuilder
{
    private readonly List<string> _del = new(5);
    private readonly List<Label> _add = new(5);
    private LabelSet _base;

    public LabelBuilder(LabelSet baseLabels)
    {
        ArgumentNullException.ThrowIfNull(baseLabels);
        _base = baseLabels;
    }

    /// <summary>Starts over from a new base.</summary>
    public void Reset(LabelSet baseLabels)
    {
        ArgumentNullException.ThrowIfNull(baseLabels);
        _base = baseLabels;
        _del.Clear();
        _add.Clear();
    }

    /// <summary>Deletes a label (upstream Builder.Del).</summary>
    public LabelBuilder Del(string name)
    {
        _add.RemoveAll(a => a.Name == name);
        _del.Add(name);
        return this;
    }

    /// <summary>Sets a label; an empty value deletes it (upstream Builder.Set).</summary>
    public LabelBuilder Set(string name, string value)
    {
        if (value.Length == 0)
        {
            return Del(name);
        }

        for (var i = 0; i < _add.Count; i++)
        {
            if (_add[i].Name == name)
            {
                _add[i] = new Label(name, value);
                return this;
            }
        }

        _add.Add(new Label(name, value));
        return this;
    }

    /// <summary>The current value of a label, or "".</summary>
    public string Get(string name)
    {
        // upstream: Del() removes entries from add but Set() does not remove from del, so check add first.
        foreach (var a in _add)
        {
            if (a.Name == name)
            {
                return a.Value;
            }
        }

        return _del.Contains(name) ? "" : _base.Get(name);
    }

    /// <summary>Calls <paramref name="visit"/> on each label in upstream order, over a snapshot (callers may Set/Del).</summary>
    public void Range(Action<Label> visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        var add = _add.ToArray();
        var del = _del.ToArray();
        foreach (var label in _base)
        {
            if (!del.Contains(label.Name) && !ContainsName(add, label.Name))
            {
                visit(label);
            }
        }

        foreach (var a in add)
        {
            visit(a);
        }
    }

    /// <summary>The resulting sorted label set (upstream Builder.Labels).</summary>
    public LabelSet Labels()
    {
        if (_del.Count == 0 && _add.Count == 0)
        {
            return _base;
        }

        var result = new List<Label>(_base.Count + _add.Count);
        foreach (var label in _base)
        {
            if (!_del.Contains(label.Name) && !ContainsName(_add, label.Name))
            {
                result.Add(label);
            }
        }

        if (_add.Count > 0)
        {
            result.AddRange(_add);
            result.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        }

        return LabelSet.FromSorted([.. result]);
    }

    private static bool ContainsName(IReadOnlyList<Label> labels, string name)
    {
        foreach (var label in labels)
        {
            if (label.Name == name)
            {
                return true;
            }
        }

        return false;
    }
}
