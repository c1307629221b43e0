using System.IO.Hashing;
using System.Text;

namespace OtelLab.Sim.Collector.Exporters.LoadBalancing.Internal;

/// <summary>
/// The loadbalancing exporter's consistent-hashing ring, ported from upstream
/// exporter/loadbalancingexporter/consistent_hashing.go: 36000 positions ("360 degrees with two decimal places");
/// each endpoint gets 100 points at <c>crc32.IEEE(endpoint ‖ byte(i)) % 36000</c>, in the resolver's (sorted) endpoint
/// order, a position already taken being skipped (the earlier endpoint keeps it); a key maps to
/// <c>crc32.IEEE(key) % 36000</c> and then to the first item at or after that position, wrapping to the first item.
/// </summary>
internal sealed class HashRing
{
    public const uint MaxPositions = 36000;
    public const int DefaultWeight = 100;

    private readonly (uint Pos, string Endpoint)[] _items;

    public HashRing(IReadOnlyList<string> endpoints)
    {
        var used = new HashSet<uint>();
        var items = new List<(uint, string)>();
        foreach (var endpoint in endpoints)
        {
            var bytes = Encoding.UTF8.GetBytes(endpoint);
            var buffer = new byte[bytes.Length + 1];
            bytes.CopyTo(buffer, 0);
            for (var i = 0; i < DefaultWeight; i++)
            {
                buffer[^1] = (byte)i;
                var pos = Crc32.HashToUInt32(buffer) % MaxPositions;
                if (used.Add(pos))
                {
                    items.Add((pos, endpoint));
                }
            }
        }

        _items = [.. items.OrderBy(i => i.Item1)];
        Endpoints = endpoints;
    }

    public IReadOnlyList<string> Endpoints { get; }

    public int Count => _items.Length;

    /// <summary>The endpoint for a routing key's bytes (traceID: its 16 raw bytes; service: the UTF-8 name); "" when empty.</summary>
    public string EndpointFor(ReadOnlySpan<byte> key) => FindEndpoint(Crc32.HashToUInt32(key) % MaxPositions);

    public string FindEndpoint(uint pos)
    {
        if (_items.Length == 0)
        {
            return string.Empty;
        }

        var half = _items.Length / 2;
        return Search(pos, _items.AsSpan(0, half), _items.AsSpan(half)).Endpoint;
    }

    /// <summary>Whether both rings hold the same items (upstream hashRing.equal: no change, no exporter churn).</summary>
    public bool SameAs(HashRing? other) => other is not null && _items.AsSpan().SequenceEqual(other._items);

    // upstream bsearch, line for line (returns the closest "next" item, wrapping to the first).
    private static (uint Pos, string Endpoint) Search(uint pos, ReadOnlySpan<(uint Pos, string Endpoint)> left, ReadOnlySpan<(uint Pos, string Endpoint)> right)
    {
        while (true)
        {
            if (left[^1].Pos == pos)
            {
                return left[^1];
            }

            if (right[0].Pos == pos)
            {
                return right[0];
            }

            if (pos > right[^1].Pos)
            {
                return left[0];
            }

            var side = pos > left[^1].Pos ? right : left;
            if (side.Length == 1)
            {
                return side[0];
            }

            var size = side.Length;
            left = side[..(size / 2)];
            right = side[(size / 2)..];
        }
    }
}
