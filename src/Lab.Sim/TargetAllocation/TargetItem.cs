using System.Diagnostics;
using OtelLab.Sim.Relabeling;

namespace OtelLab.Sim.TargetAllocation;

/// <summary>
/// A discovered scrape target (upstream: TA internal/target/target.go Item). <see cref="TargetUrl"/> is the
/// discovered <c>__address__</c> (the consistent-hashing key), <see cref="Labels"/> are the discovered,
/// un-relabelled labels (what collectors are served), <see cref="Hash"/> is the identity computed from the
/// post-relabel labels (see <see cref="TargetHash"/>).
/// </summary>
[DebuggerDisplay("{JobName} {TargetUrl} → {CollectorName}")]
public sealed class TargetItem
{
    // upstream target.go: nodeLabels, endpointSliceTargetKindLabel, endpointSliceTargetNameLabel
    private static readonly string[] NodeLabels =
    [
        "__meta_kubernetes_pod_node_name",
        "__meta_kubernetes_node_name",
        "__meta_kubernetes_endpoint_node_name",
    ];

    private const string EndpointSliceTargetKindLabel = "__meta_kubernetes_endpointslice_address_target_kind";
    private const string EndpointSliceTargetNameLabel = "__meta_kubernetes_endpointslice_address_target_name";

    public TargetItem(string jobName, string targetUrl, LabelSet labels, ulong hash, string collectorName = "")
    {
        ArgumentNullException.ThrowIfNull(jobName);
        ArgumentNullException.ThrowIfNull(targetUrl);
        ArgumentNullException.ThrowIfNull(labels);
        JobName = jobName;
        TargetUrl = targetUrl;
        Labels = labels;
        Hash = hash;
        CollectorName = collectorName ?? "";
    }

    /// <summary>Creates an item whose hash is computed from <paramref name="labels"/> without relabeling.</summary>
    public static TargetItem Create(string jobName, LabelSet labels) =>
        new(jobName, labels.Get(Label.Address), labels, TargetHash.Of(labels, jobName));

    public string JobName { get; }

    public string TargetUrl { get; }

    public LabelSet Labels { get; }

    public ulong Hash { get; }

    /// <summary>The assigned collector, or "" while unassigned.</summary>
    public string CollectorName { get; internal set; }

    /// <summary>
    /// The node the target runs on (upstream Item.GetNodeName): the first non-empty node label; else, for an
    /// EndpointSlice address whose target kind is Node, the target name; else "".
    /// </summary>
    public string NodeName
    {
        get
        {
            foreach (var name in NodeLabels)
            {
                var value = Labels.Get(name);
                if (value.Length > 0)
                {
                    return value;
                }
            }

            return Labels.Get(EndpointSliceTargetKindLabel) == "Node" ? Labels.Get(EndpointSliceTargetNameLabel) : "";
        }
    }

    public override string ToString() => $"{JobName}/{TargetUrl}";
}
