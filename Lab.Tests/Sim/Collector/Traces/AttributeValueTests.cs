using System.Runtime.CompilerServices;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Tests.Sim.Collector.Traces;

[Trait("Category", "Unit")]
public sealed class AttributeValueTests
{
    public static TheoryData<string, AttributeValue> Values => new()
    {
        { "empty", AttributeValue.Empty },
        { "string", AttributeValue.FromString("checkout") },
        { "empty string", AttributeValue.FromString(string.Empty) },
        { "bool", AttributeValue.FromBool(true) },
        { "int", AttributeValue.FromInt(-42) },
        { "int max", AttributeValue.FromInt(long.MaxValue) },
        { "double", AttributeValue.FromDouble(0.25) },
        { "double NaN", AttributeValue.FromDouble(double.NaN) },
        { "bytes", AttributeValue.FromBytes([1, 2]) },
        { "array", AttributeValue.FromArray([AttributeValue.FromString("a"), AttributeValue.FromInt(1)]) },
        { "map", AttributeValue.FromMap(new Dictionary<string, AttributeValue> { ["k"] = "v" }) },
    };

    // pdata pcommon.Value: each typed accessor answers its type's zero value for a value of another type, which
    // upstream policies rely on (a numeric_attribute filter reads a string attribute as 0).
    [Theory]
    [MemberData(nameof(Values))]
    public void Every_accessor_but_its_own_answers_the_zero_value(string name, AttributeValue value)
    {
        Assert.False(string.IsNullOrEmpty(name));
        if (value.Kind != AttributeValueKind.String)
        {
            Assert.Equal(string.Empty, value.Str);
        }

        if (value.Kind != AttributeValueKind.Int)
        {
            Assert.Equal(0, value.Int);
        }

        if (value.Kind != AttributeValueKind.Double)
        {
            Assert.Equal(0.0, value.Double);
        }

        if (value.Kind != AttributeValueKind.Bool)
        {
            Assert.False(value.Bool);
        }

        if (value.Kind != AttributeValueKind.Bytes)
        {
            Assert.True(value.Bytes.IsEmpty);
        }

        if (value.Kind != AttributeValueKind.Array)
        {
            Assert.Empty(value.Array);
        }

        if (value.Kind != AttributeValueKind.Map)
        {
            Assert.Empty(value.Map);
        }
    }

    [Fact]
    public void Each_value_reads_back_as_written()
    {
        Assert.Equal("checkout", AttributeValue.FromString("checkout").Str);
        Assert.True(AttributeValue.FromBool(true).Bool);
        Assert.False(AttributeValue.FromBool(false).Bool);
        Assert.Equal(long.MinValue, AttributeValue.FromInt(long.MinValue).Int);
        Assert.Equal(-1.5e300, AttributeValue.FromDouble(-1.5e300).Double);
        Assert.True(double.IsNaN(AttributeValue.FromDouble(double.NaN).Double));
        Assert.Equal(new byte[] { 1, 2 }, AttributeValue.FromBytes([1, 2]).Bytes.ToArray());
        Assert.Equal(["a", "1"], AttributeValue.FromArray([AttributeValue.FromString("a"), AttributeValue.FromInt(1)]).Array.Select(v => v.ToString()));
        Assert.Equal("v", AttributeValue.FromMap(new Dictionary<string, AttributeValue> { ["k"] = "v" }).Map["k"].Str);
    }

    // Strings and numbers are equal by value, as double.Equals is for doubles (0 equals -0; NaN equals NaN), and equal
    // values hash alike; a value never equals one of another kind with the same bits (1 as int, true, 1 as double).
    [Fact]
    public void Values_are_equal_by_kind_and_value_and_equal_values_hash_alike()
    {
        AttributeValue[] pairsEqual =
        [
            AttributeValue.FromString(new string('a', 3)), AttributeValue.FromString("aaa"),
            AttributeValue.FromInt(7), AttributeValue.FromInt(7),
            AttributeValue.FromDouble(0.0), AttributeValue.FromDouble(-0.0),
            AttributeValue.FromDouble(double.NaN), AttributeValue.FromDouble(double.NaN),
            AttributeValue.FromBool(true), AttributeValue.FromBool(true),
            AttributeValue.Empty, default,
        ];
        for (var i = 0; i < pairsEqual.Length; i += 2)
        {
            Assert.Equal(pairsEqual[i], pairsEqual[i + 1]);
            Assert.Equal(pairsEqual[i].GetHashCode(), pairsEqual[i + 1].GetHashCode());
        }

        AttributeValue[] distinct =
        [
            AttributeValue.FromInt(1), AttributeValue.FromBool(true), AttributeValue.FromDouble(1.0),
            AttributeValue.FromString("1"), AttributeValue.Empty, AttributeValue.FromInt(2), AttributeValue.FromDouble(2.0),
        ];
        for (var i = 0; i < distinct.Length; i++)
        {
            for (var j = 0; j < distinct.Length; j++)
            {
                Assert.Equal(i == j, distinct[i] == distinct[j]);
            }
        }
    }

    // A value is one reference and one 64-bit word beside its kind: attribute maps hold one per entry for every point
    // and span in the lab, so a field per type (40 bytes) made those maps a tenth of a 9,000-target lab's allocations.
    [Fact]
    public void A_value_is_a_reference_and_a_word()
    {
        Assert.Equal(24, Unsafe.SizeOf<AttributeValue>());
    }
}
