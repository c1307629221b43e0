namespace OtelLab.Sim.Relabeling;

/// <summary>A Prometheus label: a name/value pair.</summary>
public readonly record struct Label(string Name, string Value)
{
    /// <summary>Prefix of discovery meta labels, dropped after relabeling (upstream: prometheus/common model.MetaLabelPrefix).</summary>
    public const string MetaPrefix = "__meta_";

    /// <summary>The target address label (upstream: model.AddressLabel).</summary>
    public const string Address = "__address__";

    public override string ToString() => $"{Name}=\"{Value}\"";
}
