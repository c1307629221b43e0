using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OtelLab.Sim.Relabeling;

/// <summary>Applies relabel configs to a label set, as upstream <c>relabel.ProcessBuilder</c> does.</summary>
public static class Relabeler
{
    /// <summary>Relabels <paramref name="labels"/>; returns the new set, or null when a keep/drop rule dropped it.</summary>
    public static LabelSet? Process(LabelSet labels, IReadOnlyList<RelabelConfig> configs)
    {
        var builder = new LabelBuilder(labels);
        return Process(builder, configs) ? builder.Labels() : null;
    }

    /// <summary>Applies the configs in order to the builder; false as soon as one drops the target.</summary>
    public static bool Process(LabelBuilder builder, IReadOnlyList<RelabelConfig> configs)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configs);
        foreach (var config in configs)
        {
            if (!Apply(config, builder))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Label name validity for relabel targets. The TA links Prometheus 3, whose default name validation is UTF-8:
    /// any non-empty, well-formed string (upstream: prometheus/common model.LabelName.IsValid).
    /// </summary>
    public static bool IsValidLabelName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsHighSurrogate(name[i]))
            {
                if (i + 1 >= name.Length || !char.IsLowSurrogate(name[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(name[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The hashmod value: MD5 of the input, last 8 bytes big-endian, modulo (upstream relabel.go HashMod).</summary>
    public static ulong HashMod(string value, ulong modulus)
    {
        Span<byte> hash = stackalloc byte[16];
        MD5.HashData(Encoding.UTF8.GetBytes(value), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash[8..]) % modulus;
    }

    private static bool Apply(RelabelConfig config, LabelBuilder builder)
    {
        var value = config.SourceLabels.Count switch
        {
            0 => "",
            1 => builder.Get(config.SourceLabels[0]),
            _ => string.Join(config.Separator, config.SourceLabels.Select(builder.Get)),
        };

        switch (config.Action)
        {
            case RelabelAction.Drop:
                return !config.Regex.IsMatch(value);
            case RelabelAction.Keep:
                return config.Regex.IsMatch(value);
            case RelabelAction.DropEqual:
                return builder.Get(config.TargetLabel) != value;
            case RelabelAction.KeepEqual:
                return builder.Get(config.TargetLabel) == value;
            case RelabelAction.Replace:
                Replace(config, builder, value);
                return true;
            case RelabelAction.Lowercase:
                builder.Set(config.TargetLabel, value.ToLowerInvariant());
                return true;
            case RelabelAction.Uppercase:
                builder.Set(config.TargetLabel, value.ToUpperInvariant());
                return true;
            case RelabelAction.HashMod:
                builder.Set(config.TargetLabel, HashMod(value, config.Modulus).ToString(CultureInfo.InvariantCulture));
                return true;
            case RelabelAction.LabelMap:
                builder.Range(label =>
                {
                    var name = config.Regex.MatchAndExpand(label.Name, config.Replacement);
                    if (name is not null)
                    {
                        builder.Set(name, label.Value);
                    }
                });
                return true;
            case RelabelAction.LabelDrop:
                builder.Range(label =>
                {
                    if (config.Regex.IsMatch(label.Name))
                    {
                        builder.Del(label.Name);
                    }
                });
                return true;
            case RelabelAction.LabelKeep:
                builder.Range(label =>
                {
                    if (!config.Regex.IsMatch(label.Name))
                    {
                        builder.Del(label.Name);
                    }
                });
                return true;
            default:
                throw new InvalidOperationException($"relabel: unknown relabel action type \"{config.Action}\"");
        }
    }

    private static void Replace(RelabelConfig config, LabelBuilder builder, string value)
    {
        // upstream fast path: with the default regex, an empty value sets (or deletes) the target directly.
        if (value.Length == 0 && ReferenceEquals(config.Regex, RelabelRegex.Default)
            && !config.TargetLabel.Contains('$', StringComparison.Ordinal) && !config.Replacement.Contains('$', StringComparison.Ordinal))
        {
            builder.Set(config.TargetLabel, config.Replacement);
            return;
        }

        var match = config.Regex.Match(value);
        if (!match.Success)
        {
            return;
        }

        var target = config.Regex.Expand(config.TargetLabel, match);
        if (!IsValidLabelName(target))
        {
            return;
        }

        var result = config.Regex.Expand(config.Replacement, match);
        if (result.Length == 0)
        {
            builder.Del(target);
            return;
        }

        builder.Set(target, result);
    }
}
