using System.Text;
using OtelLab.Sim.Relabeling;

namespace OtelLab.Sim.TargetAllocation.Discovery.Internal;

/// <summary>
/// Builds <c>__meta_kubernetes_*</c> label sets. upstream: prometheus discovery/kubernetes/kubernetes.go (metaLabelPrefix,
/// addObjectMetaLabels: <c>_label_</c>, <c>_labelpresent_</c>, <c>_annotation_</c>, <c>_annotationpresent_</c> with
/// names through strutil.SanitizeLabelName).
/// </summary>
internal sealed class MetaLabels
{
    public const string Prefix = "__meta_kubernetes_";
    public const string Namespace = Prefix + "namespace";

    private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal);

    public MetaLabels Set(string name, string? value)
    {
        if (value is not null)
        {
            _labels[name] = value;
        }

        return this;
    }

    public MetaLabels Meta(string name, string? value) => Set(Prefix + name, value);

    /// <summary>upstream addObjectMetaLabels(labelSet, objectMeta, role).</summary>
    public MetaLabels ObjectMeta(string role, IDictionary<string, string>? labels, IDictionary<string, string>? annotations)
    {
        foreach (var (k, v) in labels ?? new Dictionary<string, string>())
        {
            var name = Sanitize(k);
            Set($"{Prefix}{role}_label_{name}", v);
            Set($"{Prefix}{role}_labelpresent_{name}", "true");
        }

        foreach (var (k, v) in annotations ?? new Dictionary<string, string>())
        {
            var name = Sanitize(k);
            Set($"{Prefix}{role}_annotation_{name}", v);
            Set($"{Prefix}{role}_annotationpresent_{name}", "true");
        }

        return this;
    }

    public MetaLabels Merge(LabelSet? other)
    {
        foreach (var label in other ?? LabelSet.Empty)
        {
            _labels[label.Name] = label.Value;
        }

        return this;
    }

    public LabelSet Build() => LabelSet.FromDictionary(_labels);

    /// <summary>upstream util/strutil SanitizeLabelName: every char outside [a-zA-Z0-9_] becomes '_'.</summary>
    public static string Sanitize(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            sb.Append(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' ? c : '_');
        }

        return sb.ToString();
    }
}
