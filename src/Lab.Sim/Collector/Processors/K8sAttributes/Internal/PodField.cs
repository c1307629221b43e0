namespace OtelLab.Sim.Collector.Processors.K8sAttributes.Internal;

/// <summary>
/// The pod fields an association source identifies a pod by (upstream kube.PodIdentifierAttribute, indexed by
/// client.go getIdentifiersFromAssoc): the connection and the IP-valued resource attributes name the pod IP.
/// </summary>
internal static class PodField
{
    public const string Ip = "ip";
    public const string Uid = "uid";
    public const string Name = "name";
    public const string Namespace = "ns";

    public static string Of(AssociationSource source) => source.From == "connection" ? Ip : source.Name switch
    {
        "k8s.pod.ip" or "ip" or "host.name" => Ip,
        "k8s.pod.uid" => Uid,
        "k8s.pod.name" => Name,
        "k8s.namespace.name" => Namespace,
        var other => "attr:" + other,
    };

    /// <summary>The index key of one association rule from its (field, value) pairs in rule order.</summary>
    public static string Key(IEnumerable<(string Field, string Value)> parts) =>
        string.Join('\u001f', parts.Select(p => p.Field + "=" + p.Value));
}
