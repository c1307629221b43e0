using System.Text;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal;

/// <summary>
/// upstream: internal/sampling probabilistic.go <c>hashTraceID</c> — Go's hash/fnv New64a over the salt's UTF-8
/// bytes, then the 16 raw trace id bytes.
/// </summary>
internal sealed class TraceIdHash
{
    private const ulong OffsetBasis = 0xcbf29ce484222325;
    private const ulong Prime = 0x100000001b3;

    // The salt is constant per policy, so its part of the hash state is computed once.
    private readonly ulong _saltState;

    public TraceIdHash(string salt)
    {
        _saltState = Continue(OffsetBasis, Encoding.UTF8.GetBytes(salt));
    }

    public ulong Hash(TraceId traceId)
    {
        Span<byte> bytes = stackalloc byte[TraceId.Size];
        traceId.WriteBytes(bytes);
        return Continue(_saltState, bytes);
    }

    private static ulong Continue(ulong state, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            state ^= b;
            state *= Prime;
        }

        return state;
    }
}
