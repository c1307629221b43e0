using System.Text.RegularExpressions;

namespace OtelLab.Sim.Operator;

/// <summary>
/// The labels the operator puts on what it creates.
/// upstream: internal/manifests/manifestutils/labels.go (Labels, SelectorLabels, TASelectorLabels), internal/naming/triming.go.
/// </summary>
public static partial class OperatorLabels
{
    public const string ComponentCollector = "opentelemetry-collector";
    public const string ComponentTargetAllocator = "opentelemetry-targetallocator";

    [GeneratedRegex("[^a-zA-Z0-9]+$")]
    private static partial Regex TrailingNonAlnum();

    /// <summary>managed-by, instance (<c>&lt;ns&gt;.&lt;name&gt;</c>), part-of, component: the workload selector (immutable).</summary>
    public static Dictionary<string, string> Selector(string ns, string name, string component) => new(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/managed-by"] = "opentelemetry-operator",
        ["app.kubernetes.io/instance"] = Truncate($"{ns}.{name}", 63),
        ["app.kubernetes.io/part-of"] = "opentelemetry",
        ["app.kubernetes.io/component"] = component,
    };

    /// <summary>The CR's own labels, the selector labels, <c>app.kubernetes.io/version</c> (from the image tag) and <c>app.kubernetes.io/name</c>.</summary>
    public static Dictionary<string, string> Common(string ns, string name, IDictionary<string, string>? crLabels, string objectName, string? image, string component)
    {
        var labels = new Dictionary<string, string>(crLabels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (k, v) in Selector(ns, name, component))
        {
            labels[k] = v;
        }

        labels["app.kubernetes.io/version"] = Version(image ?? string.Empty);
        labels.TryAdd("app.kubernetes.io/name", objectName);
        return labels;
    }

    /// <summary>The TA additionally selects on <c>app.kubernetes.io/name</c>.</summary>
    public static Dictionary<string, string> TargetAllocatorSelector(string ns, string name, IDictionary<string, string>? crLabels)
    {
        var labels = Selector(ns, name, ComponentTargetAllocator);
        labels["app.kubernetes.io/name"] = crLabels is not null && crLabels.TryGetValue("app.kubernetes.io/name", out var n) ? n : Truncate($"{name}-targetallocator", 63);
        return labels;
    }

    // upstream labels.go: split the image on ':'; two parts → the tag; three (registry with a port) → the part
    // before "@sha256" if any, else ""; otherwise "latest".
    internal static string Version(string image)
    {
        var parts = image.Split(':');
        var digestVersion = parts.LastOrDefault(p => p.EndsWith("@sha256", StringComparison.Ordinal))?[..^"@sha256".Length] ?? string.Empty;
        return parts.Length switch
        {
            3 => digestVersion,
            2 => Truncate(parts[1], 63),
            _ => "latest",
        };
    }

    // upstream naming.Truncate: cut to max, then drop trailing non-alphanumerics.
    internal static string Truncate(string value, int max)
    {
        var cut = value.Length > max ? value[..max] : value;
        return TrailingNonAlnum().Replace(cut, string.Empty);
    }
}
