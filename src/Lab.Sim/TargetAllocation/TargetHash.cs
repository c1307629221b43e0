using System.IO.Hashing;
using System.Text;
using OtelLab.Sim.Relabeling;

namespace OtelLab.Sim.TargetAllocation;

/// <summary>
/// Target identity (upstream: TA internal/target/target.go HashFromBuilder): XXH64 over, for each label in
/// <see cref="LabelBuilder.Range"/> order that is not a <c>__meta_*</c> label, name, 0xFF, value, 0xFF; then the job
/// name. Two targets that differ only in meta labels are the same target.
/// </summary>
public static class TargetHash
{
    private static readonly byte[] Separator = [0xFF];

    /// <summary>The identity of the labels a relabel run left in <paramref name="builder"/>.</summary>
    public static ulong Of(LabelBuilder builder, string jobName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var hash = new XxHash64();
        builder.Range(label =>
        {
            if (label.Name.StartsWith(Label.MetaPrefix, StringComparison.Ordinal))
            {
                return;
            }

            hash.Append(Encoding.UTF8.GetBytes(label.Name));
            hash.Append(Separator);
            hash.Append(Encoding.UTF8.GetBytes(label.Value));
            hash.Append(Separator);
        });
        hash.Append(Encoding.UTF8.GetBytes(jobName));
        return hash.GetCurrentHashAsUInt64();
    }

    /// <summary>The identity of a label set taken as is (upstream HashLabels).</summary>
    public static ulong Of(LabelSet labels, string jobName) => Of(new LabelBuilder(labels), jobName);
}
