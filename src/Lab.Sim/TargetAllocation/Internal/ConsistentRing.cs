using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace OtelLab.Sim.TargetAllocation.Internal;

/// <summary>
/// A port of github.com/buraksezer/consistent v1.0.0 (consistent.go) as the target allocator configures it, with the
/// XXH64 (seed 0) hasher of cespare/xxhash/v2. Read from the library's source:
/// <list type="bullet">
/// <item>each member adds <c>ReplicationFactor</c> points to the ring, the hash of <c>"{index}:{name}"</c>
/// (DefaultReplicaKey; v1.0.0 changed it from name+index, issue #17); the point list is sorted ascending and a
/// point → member map is kept (a colliding point is owned by the member added last);</item>
/// <item>partition <c>p</c> (0 ≤ p &lt; PartitionCount) hashes its id as 8 little-endian bytes, binary-searches the
/// first point ≥ that hash (wrapping to index 0 past the end) and walks clockwise to the first member whose
/// load + 1 ≤ <c>ceil(PartitionCount / members × Load)</c> (float division since v1.0.0, issue #16);</item>
/// <item><c>LocateKey(key)</c> = owner of partition <c>XXH64(key) % PartitionCount</c>.</item>
/// </list>
/// Golden vectors produced by the Go code pin this port (Lab.Tests/Sim/TargetAllocation/testdata).
/// </summary>
internal sealed class ConsistentRing
{
    private readonly int _partitionCount;
    private readonly string[] _partitionOwners;

    public ConsistentRing(IEnumerable<string> members, int partitionCount, int replicationFactor, double load)
    {
        ArgumentNullException.ThrowIfNull(members);
        _partitionCount = partitionCount;
        var ring = new Dictionary<ulong, string>();
        var points = new List<ulong>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            if (!names.Add(member))
            {
                continue;
            }

            for (var i = 0; i < replicationFactor; i++)
            {
                var point = Hash(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{i}:{member}")));
                ring[point] = member;
                points.Add(point);
            }
        }

        points.Sort();
        MemberCount = names.Count;
        _partitionOwners = new string[partitionCount];
        Loads = new Dictionary<string, int>(StringComparer.Ordinal);
        if (MemberCount == 0)
        {
            AverageLoad = 0;
            return;
        }

        AverageLoad = Math.Ceiling((double)partitionCount / MemberCount * load);
        Span<byte> partitionKey = stackalloc byte[8];
        var sorted = points.ToArray();
        for (var partition = 0; partition < partitionCount; partition++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(partitionKey, (ulong)partition);
            var key = Hash(partitionKey);
            var index = LowerBound(sorted, key);
            if (index >= sorted.Length)
            {
                index = 0;
            }

            _partitionOwners[partition] = DistributeWithLoad(sorted, ring, index);
        }
    }

    /// <summary>Number of distinct members.</summary>
    public int MemberCount { get; }

    /// <summary>The per-member partition cap, <c>ceil(PartitionCount / members × Load)</c>.</summary>
    public double AverageLoad { get; }

    /// <summary>Partitions owned per member.</summary>
    public Dictionary<string, int> Loads { get; }

    /// <summary>XXH64 with seed 0, the hasher the TA passes (cespare/xxhash/v2 Sum64).</summary>
    public static ulong Hash(ReadOnlySpan<byte> data) => XxHash64.HashToUInt64(data);

    /// <summary>The partition of a key: <c>XXH64(key) % PartitionCount</c>.</summary>
    public int FindPartition(ReadOnlySpan<byte> key) => (int)(Hash(key) % (ulong)_partitionCount);

    /// <summary>The owner of a partition, or null when the ring is empty.</summary>
    public string? PartitionOwner(int partition) => MemberCount == 0 ? null : _partitionOwners[partition];

    /// <summary>The member responsible for the key, or null when the ring is empty.</summary>
    public string? LocateKey(string key)
    {
        var byteCount = Encoding.UTF8.GetByteCount(key);
        var buffer = byteCount <= 256 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(key, buffer);
        return PartitionOwner(FindPartition(buffer));
    }

    private string DistributeWithLoad(ulong[] sorted, Dictionary<ulong, string> ring, int index)
    {
        var count = 0;
        while (true)
        {
            count++;
            if (count > sorted.Length)
            {
                // upstream panics: "not enough room to distribute partitions"; unreachable with Load > 1.
                throw new InvalidOperationException("not enough room to distribute partitions");
            }

            var member = ring[sorted[index]];
            Loads.TryGetValue(member, out var memberLoad);
            if (memberLoad + 1 <= AverageLoad)
            {
                Loads[member] = memberLoad + 1;
                return member;
            }

            index++;
            if (index >= sorted.Length)
            {
                index = 0;
            }
        }
    }

    /// <summary>sort.Search(len, sorted[i] >= key): the first index whose point is ≥ key.</summary>
    private static int LowerBound(ulong[] sorted, ulong key)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (sorted[mid] < key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
