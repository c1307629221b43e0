using OtelLab.Model.Go;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Model.Collector.Decoding;

/// <summary>
/// Decodes YAML settings against a <see cref="ConfigType"/> the way the collector's confmap does
/// (upstream confmap/confmap.go decodeConfig: mapstructure with ErrorUnused, case-sensitive key matching, strictly
/// typed input, and the hooks StringToSliceHookFunc(","), StringToTimeDurationHookFunc and TextUnmarshallerHookFunc),
/// collecting every problem rather than stopping at the first, as mapstructure does.
/// Without <c>strictTypes</c> (collectors before v0.105) scalars convert into any scalar field, as mapstructure's
/// WeaklyTypedInput allows. With <c>unresolvedReferences</c> a scalar holding <c>${…}</c> is accepted as is (lint sees the config before
/// expansion; its type is only known at run time).
/// </summary>
public sealed class ConfigDecoder(bool strictTypes = true, bool unresolvedReferences = false)
{
    public IReadOnlyList<DecodeProblem> Decode(YamlNode? settings, ConfigType type)
    {
        var problems = new List<DecodeProblem>();
        if (settings is not null)
        {
            Decode(string.Empty, settings, type, problems);
        }

        return problems;
    }

    private void Decode(string name, YamlNode node, ConfigType type, List<DecodeProblem> problems)
    {
        var kind = YamlScalars.KindOf(node);

        // mapstructure: a nil input leaves the default in place.
        if (kind == YamlScalarKind.Null || type.Kind == GoKind.Any)
        {
            return;
        }

        if (unresolvedReferences && node is YamlScalarNode { Value: { } raw } && raw.Contains("${", StringComparison.Ordinal))
        {
            return;
        }

        switch (type.Kind)
        {
            case GoKind.Struct:
                DecodeStruct(name, node, kind, type, problems);
                break;
            case GoKind.List:
                DecodeList(name, node, kind, type, problems);
                break;
            case GoKind.Map:
                DecodeMap(name, node, kind, type, problems);
                break;
            default:
                DecodeScalar(name, node, kind, type, problems);
                break;
        }
    }

    private void DecodeStruct(string name, YamlNode node, YamlScalarKind kind, ConfigType type, List<DecodeProblem> problems)
    {
        if (node is not YamlMappingNode map)
        {
            problems.Add(new DecodeProblem { Kind = DecodeProblemKind.ExpectedMap, Name = name, Node = node, Got = YamlScalars.GoKindName(kind) });
            return;
        }

        // mapstructure walks the struct's fields in declaration order, then reports the keys no field took.
        var given = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in map.Children)
        {
            given[(keyNode as YamlScalarNode)?.Value ?? string.Empty] = value;
        }

        foreach (var (key, field) in type.Fields)
        {
            if (given.TryGetValue(key, out var value))
            {
                Decode(name.Length == 0 ? key : $"{name}.{key}", value, field, problems);
            }
        }

        var unknown = given.Keys.Where(k => !type.Fields.ContainsKey(k)).ToList();
        if (unknown.Count > 0)
        {
            unknown.Sort(StringComparer.Ordinal);
            var first = map.Children.Keys.First(k => (k as YamlScalarNode)?.Value == unknown[0]);
            problems.Add(new DecodeProblem { Kind = DecodeProblemKind.InvalidKeys, Name = name, Node = first, Keys = unknown, Struct = type });
        }
    }

    private void DecodeList(string name, YamlNode node, YamlScalarKind kind, ConfigType type, List<DecodeProblem> problems)
    {
        switch (node)
        {
            case YamlSequenceNode seq:
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    Decode($"{name}[{i}]", seq.Children[i], type.Element!, problems);
                }

                break;
            case YamlScalarNode when kind == YamlScalarKind.String:
                // StringToSliceHookFunc(","): "a,b" is ["a", "b"], which then decodes element by element.
                if (type.Element!.Kind is not (GoKind.String or GoKind.Any or GoKind.Enum))
                {
                    problems.Add(new DecodeProblem { Kind = DecodeProblemKind.ExpectedMap, Name = $"{name}[0]", Node = node, Got = "string" });
                }

                break;
            default:
                problems.Add(new DecodeProblem { Kind = DecodeProblemKind.ExpectedSlice, Name = name, Node = node, Got = YamlScalars.GoKindName(kind) });
                break;
        }
    }

    private void DecodeMap(string name, YamlNode node, YamlScalarKind kind, ConfigType type, List<DecodeProblem> problems)
    {
        if (node is not YamlMappingNode map)
        {
            problems.Add(new DecodeProblem
            {
                Kind = DecodeProblemKind.ExpectedMap,
                Name = name,
                Node = node,
                Got = YamlScalars.GoKindName(kind),
                Expected = type.GoName,
                Value = YamlScalars.GoValue(node),
            });
            return;
        }

        foreach (var (keyNode, value) in map.Children)
        {
            Decode($"{name}[{(keyNode as YamlScalarNode)?.Value}]", value, type.Element!, problems);
        }
    }

    private void DecodeScalar(string name, YamlNode node, YamlScalarKind kind, ConfigType type, List<DecodeProblem> problems)
    {
        var text = (node as YamlScalarNode)?.Value ?? string.Empty;
        var accepted = type.Kind switch
        {
            GoKind.String => kind == YamlScalarKind.String,
            GoKind.Bool => kind == YamlScalarKind.Bool,
            GoKind.Int => kind is YamlScalarKind.Int or YamlScalarKind.Float,
            GoKind.Uint => kind is YamlScalarKind.Int or YamlScalarKind.Float,
            GoKind.Float => kind is YamlScalarKind.Int or YamlScalarKind.Float,
            GoKind.Duration => kind is YamlScalarKind.String or YamlScalarKind.Int or YamlScalarKind.Float,
            GoKind.Enum => kind == YamlScalarKind.String,
            _ => true,
        };

        if (!accepted && !strictTypes && kind is not (YamlScalarKind.Mapping or YamlScalarKind.Sequence))
        {
            // WeaklyTypedInput: bools, numbers and strings convert into one another (a string that does not parse as
            // the number is still refused upstream; the lab accepts it).
            return;
        }

        if (!accepted)
        {
            problems.Add(new DecodeProblem
            {
                Kind = DecodeProblemKind.Unconvertible,
                Name = name,
                Node = node,
                Expected = type.GoName,
                Got = YamlScalars.GoTypeName(kind),
                Value = YamlScalars.GoValue(node),
            });
            return;
        }

        if (type.Kind == GoKind.Uint && kind == YamlScalarKind.Int && YamlScalars.IntegerValue(text) is < 0 and var negative)
        {
            problems.Add(new DecodeProblem
            {
                Kind = DecodeProblemKind.NegativeUnsigned,
                Name = name,
                Node = node,
                Expected = type.GoName,
                Value = negative.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        }

        if (type.Kind == GoKind.Duration && kind == YamlScalarKind.String && !GoDuration.TryParse(text, out _, out var error))
        {
            problems.Add(Hook(name, node, error));
        }

        if (type.Kind == GoKind.Enum && !type.Values.Contains(text, StringComparer.Ordinal))
        {
            problems.Add(Hook(name, node, string.Format(System.Globalization.CultureInfo.InvariantCulture, type.EnumError!, text)));
        }
    }

    private static DecodeProblem Hook(string name, YamlNode node, string detail) =>
        new() { Kind = DecodeProblemKind.HookFailed, Name = name, Node = node, Detail = detail };
}
