using System.Numerics;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal;

/// <summary>
/// upstream: internal/sampling probabilistic.go <c>calculateThreshold(ratio)</c>, bit for bit:
/// <code>
/// boundary := new(big.Float).SetInt(new(big.Int).SetUint64(math.MaxUint64)) // prec 64 (SetInt: max(BitLen, 64))
/// res, _ := boundary.Mul(boundary, big.NewFloat(ratio)).Uint64()          // z = boundary keeps prec 64, ToNearestEven
/// </code>
/// The exact product MaxUint64 × ratio (ratio is a binary double, so the product is an exact dyadic rational) is
/// rounded to a 64-bit mantissa, half to even; <c>Uint64()</c> then truncates toward zero and clamps to
/// [0, MaxUint64]. A naive <c>(ulong)(ratio * ulong.MaxValue)</c> differs (e.g. 10 %: …263 here, …264 naive).
/// </summary>
internal static class ProbabilisticThreshold
{
    private const int MantissaBits = 64;

    public static ulong Calculate(double ratio)
    {
        if (double.IsNaN(ratio))
        {
            // big.NewFloat(NaN) panics upstream (ErrNaN); refused at config time by the caller.
            throw new ArgumentException("sampling ratio is NaN", nameof(ratio));
        }

        if (ratio <= 0)
        {
            return 0; // product is 0 or negative → Uint64() gives 0 (Below)
        }

        if (double.IsPositiveInfinity(ratio))
        {
            return ulong.MaxValue; // +Inf → MaxUint64 (Above)
        }

        // ratio = significand × 2^exponent exactly.
        var bits = BitConverter.DoubleToUInt64Bits(ratio);
        var biased = (int)((bits >> 52) & 0x7FF);
        var fraction = bits & ((1UL << 52) - 1);
        var significand = biased == 0 ? fraction : fraction | (1UL << 52);
        var exponent = (biased == 0 ? 1 : biased) - 1075;

        var product = new BigInteger(ulong.MaxValue) * significand;
        var excess = (int)product.GetBitLength() - MantissaBits;
        if (excess > 0)
        {
            var kept = product >> excess;
            var remainder = product - (kept << excess);
            var half = BigInteger.One << (excess - 1);
            if (remainder > half || (remainder == half && !kept.IsEven))
            {
                kept += 1;
            }

            product = kept;
            exponent += excess;
        }

        // Uint64(): truncate toward zero, clamp above MaxUint64.
        var value = exponent >= 0 ? product << exponent : product >> -exponent;
        return value > ulong.MaxValue ? ulong.MaxValue : (ulong)value;
    }
}
