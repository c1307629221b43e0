namespace OtelLab.Model.Crds;

/// <summary>Target Allocator strategies (upstream CRD enum; default consistent-hashing).</summary>
public static class AllocationStrategy
{
    public const string LeastWeighted = "least-weighted";
    public const string ConsistentHashing = "consistent-hashing";
    public const string PerNode = "per-node";

    public static IReadOnlyList<string> All { get; } = [LeastWeighted, ConsistentHashing, PerNode];
}
