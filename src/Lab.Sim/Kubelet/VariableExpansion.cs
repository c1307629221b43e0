using System.Text;

namespace OtelLab.Sim.Kubelet;

/// <summary>
/// The kubelet's <c>$(VAR)</c> expansion, ported from kubernetes
/// <c>third_party/forked/golang/expansion/expand.go</c> (<c>Expand</c>, <c>MappingFuncFor</c>, <c>tryReadVariableName</c>).
/// </summary>
/// <remarks>
/// <c>$(NAME)</c> is replaced by NAME's value when the lookup knows it and kept literally otherwise; <c>$$</c> is an
/// escaped <c>$</c> (so <c>$$(NAME)</c> yields the literal text <c>$(NAME)</c>); a <c>$</c> not followed by <c>(</c> or
/// <c>$</c> is kept with the next character; an unterminated <c>$(</c> is kept as is.
/// </remarks>
public static class VariableExpansion
{
    private const char Operator = '$';
    private const char ReferenceOpener = '(';
    private const char ReferenceCloser = ')';

    /// <summary>Expands <paramref name="input"/>; <paramref name="lookup"/> returns null for a variable it does not know.</summary>
    /// <param name="unresolved">Receives the names of referenced variables the lookup did not know, in order.</param>
    public static string Expand(string input, Func<string, string?> lookup, ICollection<string>? unresolved = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(lookup);
        var buf = new StringBuilder(input.Length);
        var checkpoint = 0;
        for (var cursor = 0; cursor < input.Length; cursor++)
        {
            if (input[cursor] != Operator || cursor + 1 >= input.Length)
            {
                continue;
            }

            // upstream: copy the portion since the last checkpoint, then try to read a variable name.
            buf.Append(input, checkpoint, cursor - checkpoint);
            var (read, isVar, advance) = TryReadVariableName(input, cursor + 1);
            if (isVar)
            {
                // upstream: MappingFuncFor — an unknown name is returned wrapped in the syntax, i.e. left literal.
                var value = lookup(read);
                if (value is null)
                {
                    unresolved?.Add(read);
                }

                buf.Append(value ?? $"{Operator}{ReferenceOpener}{read}{ReferenceCloser}");
            }
            else
            {
                buf.Append(read);
            }

            cursor += advance;
            checkpoint = cursor + 1;
        }

        return buf.Append(input, checkpoint, input.Length - checkpoint).ToString();
    }

    /// <summary>The names referenced as <c>$(NAME)</c> in <paramref name="input"/> (escaped <c>$$(NAME)</c> excluded).</summary>
    public static IReadOnlyList<string> References(string input)
    {
        var names = new List<string>();
        Expand(input, _ => null, names);
        return names;
    }

    // upstream: tryReadVariableName — input starts after the operator.
    private static (string Read, bool IsVar, int Advance) TryReadVariableName(string input, int start)
    {
        var first = input[start];
        var size = char.IsHighSurrogate(first) && start + 1 < input.Length && char.IsLowSurrogate(input[start + 1]) ? 2 : 1;
        switch (first)
        {
            case Operator:
                // Escaped operator; return it.
                return (Operator.ToString(), false, 1);
            case ReferenceOpener:
                for (var i = start + 1; i < input.Length; i++)
                {
                    if (input[i] == ReferenceCloser)
                    {
                        return (input[(start + 1)..i], true, i - start + 1);
                    }
                }

                // Incomplete reference; return it.
                return ($"{Operator}{ReferenceOpener}", false, 1);
            default:
                // Not the beginning of an expression: return the operator and the first rune.
                return (Operator + input.Substring(start, size), false, size);
        }
    }
}
