using System.Globalization;
using System.Numerics;
using OtelLab.Sim.Collector.Processors.TailSampling.Internal;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Tests.Sim.Collector.Processors.TailSampling;

[Trait("Category", "Unit")]
public sealed class ProbabilisticThresholdTests
{
    private static readonly string GoldenPath =
        Path.Combine(AppContext.BaseDirectory, "Sim", "Collector", "Processors", "TailSampling", "probabilistic-golden.tsv");

    public static TheoryData<double> Percentages() => [0, 0.01, 1, 10, 33.3, 50, 99.9, 100];

    [Theory]
    [MemberData(nameof(Percentages))]
    public void Threshold_matches_an_independent_exact_rational_computation(double percentage)
    {
        // Given the exact rational value of MaxUint64 × (pct/100 as a double), rounded to 64 significant bits by
        // searching the two 64-bit-mantissa neighbours (a different method from the emulation's shift-and-round)
        var expected = IndependentThreshold(percentage / 100);

        // When the emulation computes it
        var actual = ProbabilisticThreshold.Calculate(percentage / 100);

        // Then both agree bit for bit
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Threshold_matches_the_go_golden_vectors()
    {
        // Given thresholds printed by Go's math/big for upstream's calculateThreshold
        var rows = GoldenRows("threshold").ToList();
        Assert.True(rows.Count >= 15, "the golden file lists at least 15 thresholds");

        // Then every one is reproduced exactly
        foreach (var row in rows)
        {
            var pct = double.Parse(row[1], CultureInfo.InvariantCulture);
            Assert.Equal(ulong.Parse(row[2], CultureInfo.InvariantCulture), ProbabilisticThreshold.Calculate(pct / 100));
        }
    }

    [Fact]
    public void Naive_double_arithmetic_would_differ_at_ten_percent()
    {
        // Given the float shortcut a port might take
        var naive = (ulong)(0.1 * ulong.MaxValue);

        // Then it is not upstream's value, which the emulation reproduces
        Assert.NotEqual(naive, ProbabilisticThreshold.Calculate(0.1));
        Assert.Equal(1844674407370955263UL, ProbabilisticThreshold.Calculate(0.1));
    }

    [Fact]
    public void Hashes_and_decisions_match_the_go_golden_vectors()
    {
        // Given FNV-1a hashes and decisions printed by Go for fixed trace ids and two salts
        var rows = GoldenRows("hash").ToList();
        Assert.True(rows.Count >= 40, "the golden file lists at least 40 trace id × salt rows");
        foreach (var row in rows)
        {
            var id = TraceId.ParseHex(row[1]);
            var salt = row[2];

            // Then the hash and the decisions at 10 %, 33.3 % and 50 % are identical
            Assert.Equal(ulong.Parse(row[3], CultureInfo.InvariantCulture), new TraceIdHash(salt).Hash(id));
            string[] pcts = ["10", "33.3", "50"];
            for (var i = 0; i < pcts.Length; i++)
            {
                var evaluator = new ProbabilisticEvaluator(salt, double.Parse(pcts[i], CultureInfo.InvariantCulture));
                var sampled = evaluator.Evaluate(id, []) == OtelLab.Sim.Collector.Processors.TailSampling.SamplingDecision.Sampled;
                Assert.True(bool.Parse(row[4 + i]) == sampled, $"{row[1]} salt {salt} at {pcts[i]} %");
            }
        }
    }

    [Fact]
    public void Out_of_range_percentages_clamp_like_upstream()
    {
        Assert.Equal(0UL, ProbabilisticThreshold.Calculate(-0.5));
        Assert.Equal(ulong.MaxValue, ProbabilisticThreshold.Calculate(1.5));
        Assert.Equal(ulong.MaxValue, ProbabilisticThreshold.Calculate(double.PositiveInfinity));
        Assert.Throws<ArgumentException>(() => ProbabilisticThreshold.Calculate(double.NaN));
    }

    private static IEnumerable<string[]> GoldenRows(string kind) =>
        File.ReadLines(GoldenPath).Where(l => !l.StartsWith('#')).Select(l => l.Split('\t')).Where(f => f[0] == kind);

    // Exact: ratio = n / d with d a power of two; P = MaxUint64 × n / d. Candidates are the 64-bit-mantissa values
    // just below and above P; pick the nearer, ties to the even mantissa; then truncate to an integer.
    private static ulong IndependentThreshold(double ratio)
    {
        if (ratio <= 0)
        {
            return 0;
        }

        var (n, d) = ToFraction(ratio);
        var pn = new BigInteger(ulong.MaxValue) * n; // P = pn / d
        var scale = 0; // find scale with 2^63 <= P / 2^scale < 2^64
        while (pn >= (BigInteger.One << (64 + scale)) * d)
        {
            scale++;
        }

        while (pn < (BigInteger.One << (63 + scale)) * d)
        {
            scale--;
        }

        // mantissa m in [2^63, 2^64): value m × 2^scale; lower = floor(P / 2^scale)
        BigInteger num = scale >= 0 ? pn : pn << -scale;
        BigInteger den = scale >= 0 ? d << scale : d;
        var lower = BigInteger.DivRem(num, den, out var rem);
        var twice = rem * 2;
        var m = twice < den ? lower : twice > den ? lower + 1 : (lower.IsEven ? lower : lower + 1);
        var value = scale >= 0 ? m << scale : m / (BigInteger.One << -scale);
        return value > ulong.MaxValue ? ulong.MaxValue : (ulong)value;
    }

    private static (BigInteger Numerator, BigInteger Denominator) ToFraction(double x)
    {
        // Multiply by 2 until integral: exact for a binary double.
        BigInteger den = 1;
        var k = 0;
        while (Math.ScaleB(x, k) != Math.Floor(Math.ScaleB(x, k)))
        {
            k++;
            den *= 2;
        }

        return (new BigInteger(Math.ScaleB(x, k)), den);
    }
}
