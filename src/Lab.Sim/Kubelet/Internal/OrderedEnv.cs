namespace OtelLab.Sim.Kubelet.Internal;

/// <summary>The kubelet's <c>tmpEnv</c> map, remembering the order in which names were first defined.</summary>
internal sealed class OrderedEnv
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    public IReadOnlyList<KeyValuePair<string, string>> Items =>
        _order.Select(n => new KeyValuePair<string, string>(n, _values[n])).ToList();

    public string? TryGet(string name) => _values.GetValueOrDefault(name);

    public void Set(string name, string value)
    {
        if (!_values.ContainsKey(name))
        {
            _order.Add(name);
        }

        _values[name] = value;
    }
}
