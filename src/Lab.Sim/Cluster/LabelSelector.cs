using k8s.Models;

namespace OtelLab.Sim.Cluster;

/// <summary>
/// A Kubernetes label selector: equality (<c>a=b</c>, <c>a!=b</c>) and set requirements (<c>a in (x,y)</c>,
/// <c>a notin (x)</c>, <c>a</c>, <c>!a</c>), all of which must hold. An empty selector matches everything.
/// </summary>
public sealed class LabelSelector
{
    private readonly List<Requirement> _requirements;

    private LabelSelector(List<Requirement> requirements)
    {
        _requirements = requirements;
    }

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEmpty => _requirements.Count == 0;

    public static LabelSelector FromLabels(IEnumerable<KeyValuePair<string, string>>? labels) =>
        new(labels?.Select(kv => new Requirement(kv.Key, Operator.In, [kv.Value])).ToList() ?? []);

    /// <summary>From a <c>V1LabelSelector</c>; a null selector selects nothing in workload specs, so callers decide.</summary>
    public static LabelSelector From(V1LabelSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var list = new List<Requirement>();
        foreach (var (k, v) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            list.Add(new Requirement(k, Operator.In, [v]));
        }

        foreach (var e in selector.MatchExpressions ?? [])
        {
            var op = e.OperatorProperty switch
            {
                "In" => Operator.In,
                "NotIn" => Operator.NotIn,
                "Exists" => Operator.Exists,
                "DoesNotExist" => Operator.DoesNotExist,
                _ => throw ClusterApiException.Invalid($"\"{e.OperatorProperty}\" is not a valid label selector operator"),
            };
            list.Add(new Requirement(e.Key, op, [.. e.Values ?? []]));
        }

        return new LabelSelector(list);
    }

    /// <summary>Parses the <c>-l</c> / <c>labelSelector=</c> syntax.</summary>
    public static LabelSelector Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var list = new List<Requirement>();
        foreach (var raw in SplitTopLevel(text))
        {
            var part = raw.Trim();
            if (part.Length == 0)
            {
                continue;
            }

            list.Add(ParseRequirement(part));
        }

        return new LabelSelector(list);
    }

    public bool Matches(IDictionary<string, string>? labels)
    {
        foreach (var r in _requirements)
        {
            string? value = null;
            var has = labels is not null && labels.TryGetValue(r.Key, out value);
            var ok = r.Op switch
            {
                Operator.In => has && r.Values.Contains(value!),
                Operator.NotIn => !has || !r.Values.Contains(value!),
                Operator.Exists => has,
                _ => !has,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => string.Join(",", _requirements.Select(r => r.ToString()));

    private static Requirement ParseRequirement(string part)
    {
        if (part.StartsWith('!'))
        {
            return new Requirement(part[1..].Trim(), Operator.DoesNotExist, []);
        }

        foreach (var (token, op) in new[] { (" notin ", Operator.NotIn), (" in ", Operator.In) })
        {
            var at = part.IndexOf(token, StringComparison.Ordinal);
            if (at > 0)
            {
                var set = part[(at + token.Length)..].Trim();
                if (!set.StartsWith('(') || !set.EndsWith(')'))
                {
                    throw ClusterApiException.Invalid($"unable to parse requirement: found '{set}', expected: '('");
                }

                return new Requirement(part[..at].Trim(), op, [.. set[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)]);
            }
        }

        var ne = part.IndexOf("!=", StringComparison.Ordinal);
        if (ne > 0)
        {
            return new Requirement(part[..ne].Trim(), Operator.NotIn, [part[(ne + 2)..].Trim()]);
        }

        var eq = part.IndexOf('=', StringComparison.Ordinal);
        if (eq > 0)
        {
            var value = part[(eq + 1)..].TrimStart('=').Trim();
            return new Requirement(part[..eq].Trim(), Operator.In, [value]);
        }

        return new Requirement(part, Operator.Exists, []);
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    private enum Operator
    {
        In,
        NotIn,
        Exists,
        DoesNotExist,
    }

    private sealed record Requirement(string Key, Operator Op, string[] Values)
    {
        public override string ToString() => Op switch
        {
            Operator.In when Values.Length == 1 => $"{Key}={Values[0]}",
            Operator.In => $"{Key} in ({string.Join(",", Values)})",
            Operator.NotIn when Values.Length == 1 => $"{Key}!={Values[0]}",
            Operator.NotIn => $"{Key} notin ({string.Join(",", Values)})",
            Operator.Exists => Key,
            _ => $"!{Key}",
        };
    }
}
