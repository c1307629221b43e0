namespace OtelLab.Backends.ServiceNow.Internal;

/// <summary>One condition of an encoded query: field, operator, value.</summary>
internal sealed record Condition(string Field, string Operator, string Value);

/// <summary>
/// ServiceNow's encoded query (<c>sysparm_query</c>, Table API docs): conditions joined by <c>^</c> (AND) and
/// <c>^OR</c> (OR), operators <c>=</c>, <c>!=</c>, <c>LIKE</c>, <c>STARTSWITH</c>, <c>ENDSWITH</c>, <c>IN</c>,
/// <c>ISEMPTY</c>, <c>ISNOTEMPTY</c>, and <c>ORDERBY</c>/<c>ORDERBYDESC</c>. Case-sensitive. A part that does not
/// parse is ignored and the rest still runs, as the docs say.
/// </summary>
internal static class EncodedQuery
{
    private static readonly string[] Operators = ["!=", "STARTSWITH", "ENDSWITH", "NOT LIKE", "LIKE", "NOT IN", "IN", "="];

    public static (IReadOnlyList<IReadOnlyList<Condition>> OrGroups, IReadOnlyList<(string Field, bool Descending)> Order, IReadOnlyList<string> Ignored) Parse(string? query)
    {
        var groups = new List<List<Condition>>();
        var order = new List<(string, bool)>();
        var ignored = new List<string>();
        if (string.IsNullOrEmpty(query))
        {
            return (groups, order, ignored);
        }

        // Each AND part holds one or more OR alternatives: a=1^ORa=2^b=3 → (a=1 ∨ a=2) ∧ b=3.
        var and = new List<Condition>();
        var ands = new List<List<Condition>>();
        foreach (var raw in query.Split('^'))
        {
            var part = raw;
            var isOr = part.StartsWith("OR", StringComparison.Ordinal) && !part.StartsWith("ORDERBY", StringComparison.Ordinal) && ands.Count + and.Count > 0;
            if (isOr)
            {
                part = part[2..];
            }

            if (part.StartsWith("ORDERBYDESC", StringComparison.Ordinal))
            {
                order.Add((part["ORDERBYDESC".Length..], true));
                continue;
            }

            if (part.StartsWith("ORDERBY", StringComparison.Ordinal))
            {
                order.Add((part["ORDERBY".Length..], false));
                continue;
            }

            if (Parse1(part) is not { } condition)
            {
                ignored.Add(raw);
                continue;
            }

            if (isOr && ands.Count > 0)
            {
                ands[^1].Add(condition);
            }
            else
            {
                ands.Add([condition]);
            }
        }

        groups.AddRange(ands);
        return (groups, order, ignored);
    }

    /// <summary>True when the row satisfies every AND group (each group: any of its OR alternatives).</summary>
    public static bool Matches(IReadOnlyDictionary<string, string> row, IReadOnlyList<IReadOnlyList<Condition>> groups) =>
        groups.All(g => g.Any(c => Matches(row.GetValueOrDefault(c.Field), c)));

    private static bool Matches(string? value, Condition c) => c.Operator switch
    {
        "=" => value == c.Value,
        "!=" => value != c.Value,
        "LIKE" => value?.Contains(c.Value, StringComparison.Ordinal) == true,
        "NOT LIKE" => value?.Contains(c.Value, StringComparison.Ordinal) != true,
        "STARTSWITH" => value?.StartsWith(c.Value, StringComparison.Ordinal) == true,
        "ENDSWITH" => value?.EndsWith(c.Value, StringComparison.Ordinal) == true,
        "IN" => c.Value.Split(',').Contains(value),
        "NOT IN" => !c.Value.Split(',').Contains(value),
        "ISEMPTY" => string.IsNullOrEmpty(value),
        "ISNOTEMPTY" => !string.IsNullOrEmpty(value),
        _ => false,
    };

    private static Condition? Parse1(string part)
    {
        if (part.EndsWith("ISNOTEMPTY", StringComparison.Ordinal) && part.Length > "ISNOTEMPTY".Length)
        {
            return new Condition(part[..^"ISNOTEMPTY".Length], "ISNOTEMPTY", string.Empty);
        }

        if (part.EndsWith("ISEMPTY", StringComparison.Ordinal) && part.Length > "ISEMPTY".Length)
        {
            return new Condition(part[..^"ISEMPTY".Length], "ISEMPTY", string.Empty);
        }

        var best = -1;
        string? op = null;
        foreach (var candidate in Operators)
        {
            var i = part.IndexOf(candidate, StringComparison.Ordinal);
            if (i > 0 && (best < 0 || i < best))
            {
                best = i;
                op = candidate;
            }
        }

        return op is null ? null : new Condition(part[..best], op, part[(best + op.Length)..]);
    }
}
