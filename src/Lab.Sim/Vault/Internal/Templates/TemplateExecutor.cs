using System.Globalization;
using System.Text;

namespace OtelLab.Sim.Vault.Internal.Templates;

/// <summary>
/// Walks the parse tree against data. Field chains index maps (a missing key is "no value") and structs (an
/// unknown field is an error), <c>with</c>/<c>if</c> test Go truth, <c>range</c> walks maps in sorted key order,
/// a piped value becomes the last argument. upstream: go/src/text/template/exec.go (walk, walkIfOrWith,
/// walkRange, evalPipeline, evalCommand, evalField, and the "can't evaluate field" / "nil pointer evaluating"
/// error texts).
/// </summary>
internal sealed class TemplateExecutor(string name, IReadOnlyDictionary<string, TemplateFunction> functions)
{
    private readonly List<(string Name, object? Value)> _variables = [];
    private readonly StringBuilder _out = new();

    public string Execute(IReadOnlyList<TemplateNode> nodes, object? data)
    {
        _variables.Add(("$", data));
        Walk(nodes, data);
        return _out.ToString();
    }

    private void Walk(IReadOnlyList<TemplateNode> nodes, object? dot)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case TextNode text:
                    _out.Append(text.Text);
                    break;
                case ActionNode action:
                    // A declaration prints nothing and lives until the end of the enclosing control structure.
                    var value = EvalPipeline(action.Pipeline, dot);
                    if (action.Pipeline.Declarations.Count == 0)
                    {
                        _out.Append(GoValue.Print(value));
                    }

                    break;
                case BranchNode branch:
                    WalkBranch(branch, dot);
                    break;
            }
        }
    }

    private void WalkBranch(BranchNode branch, object? dot)
    {
        var mark = _variables.Count;
        try
        {
            if (branch.Kind == BranchKind.Range)
            {
                WalkRange(branch, dot);
                return;
            }

            var value = EvalPipeline(branch.Pipeline, dot);
            if (GoValue.IsTrue(value))
            {
                Walk(branch.List, branch.Kind == BranchKind.With ? value : dot);
            }
            else
            {
                Walk(branch.ElseList, dot);
            }
        }
        finally
        {
            _variables.RemoveRange(mark, _variables.Count - mark);
        }
    }

    private void WalkRange(BranchNode branch, object? dot)
    {
        var pipeline = branch.Pipeline with { Declarations = [] };
        var value = EvalPipeline(pipeline, dot);
        IEnumerable<(object? Key, object? Value)> elements = value switch
        {
            IReadOnlyDictionary<string, object?> map => map.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => ((object?)kv.Key, kv.Value)),
            IReadOnlyList<object?> list => list.Select((v, i) => ((object?)(long)i, v)),
            null => [],
            _ when ReferenceEquals(value, GoValue.NoValue) => [],
            _ => throw ExecError(branch.Pipeline, "range", $"range can't iterate over {GoValue.Print(value)}"),
        };
        var any = false;
        foreach (var (key, element) in elements)
        {
            any = true;
            var mark = _variables.Count;
            switch (branch.Pipeline.Declarations.Count)
            {
                case 1:
                    _variables.Add((branch.Pipeline.Declarations[0], element));
                    break;
                case 2:
                    _variables.Add((branch.Pipeline.Declarations[0], key));
                    _variables.Add((branch.Pipeline.Declarations[1], element));
                    break;
            }

            Walk(branch.List, element);
            _variables.RemoveRange(mark, _variables.Count - mark);
        }

        if (!any)
        {
            Walk(branch.ElseList, dot);
        }
    }

    private object? EvalPipeline(Pipeline pipeline, object? dot)
    {
        object? value = null;
        var piped = false;
        foreach (var command in pipeline.Commands)
        {
            value = EvalCommand(pipeline, command, dot, piped, value);
            piped = true;
        }

        foreach (var declaration in pipeline.Declarations)
        {
            _variables.Add((declaration, value));
        }

        return value;
    }

    private object? EvalCommand(Pipeline pipeline, Command command, object? dot, bool piped, object? final)
    {
        var first = command.Operands[0];
        if (first is FunctionOperand function)
        {
            var args = command.Operands.Skip(1).Select(o => EvalOperand(pipeline, o, dot)).ToList();
            if (piped)
            {
                args.Add(final);
            }

            try
            {
                return functions[function.Name](args);
            }
            catch (TemplateException e)
            {
                throw ExecError(pipeline, Describe(command), $"error calling {function.Name}: {e.Message}");
            }
        }

        if (command.Operands.Count > 1 || piped)
        {
            throw ExecError(pipeline, first.Source, $"can't give argument to non-function {first.Source}");
        }

        return EvalOperand(pipeline, first, dot);
    }

    private object? EvalOperand(Pipeline pipeline, Operand operand, object? dot) => operand switch
    {
        FieldOperand field => EvalFields(pipeline, field.Source, dot, field.Fields),
        VariableOperand variable => EvalFields(pipeline, variable.Source, Lookup(pipeline, variable.Name), variable.Fields),
        LiteralOperand literal => literal.Value,
        FunctionOperand function => EvalCommand(pipeline, new Command([function]), dot, piped: false, null),
        SubPipelineOperand sub => EvalFields(pipeline, sub.Source, EvalPipeline(sub.Pipeline, dot), sub.Fields),
        _ => throw ExecError(pipeline, operand.Source, "unsupported operand"),
    };

    private object? EvalFields(Pipeline pipeline, string source, object? receiver, IReadOnlyList<string> fields)
    {
        var value = receiver;
        foreach (var field in fields)
        {
            value = value switch
            {
                IReadOnlyDictionary<string, object?> map => map.TryGetValue(field, out var v) ? v : GoValue.NoValue,
                GoStruct st when st.TryGetField(field, out var v) => v,
                null => throw ExecError(pipeline, source, $"nil pointer evaluating interface {{}}.{field}"),
                _ when ReferenceEquals(value, GoValue.NoValue) => throw ExecError(pipeline, source, $"nil pointer evaluating interface {{}}.{field}"),
                _ => throw ExecError(pipeline, source, $"can't evaluate field {field} in type {GoValue.TypeName(value)}"),
            };
        }

        return value;
    }

    private object? Lookup(Pipeline pipeline, string variable)
    {
        for (var i = _variables.Count - 1; i >= 0; i--)
        {
            if (_variables[i].Name == variable)
            {
                return _variables[i].Value;
            }
        }

        throw ExecError(pipeline, variable, $"undefined variable: {variable}");
    }

    private static string Describe(Command command) => string.Join(' ', command.Operands.Select(o => o.Source));

    private TemplateException ExecError(Pipeline pipeline, string at, string message) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"template: {name}:{pipeline.Line}:{pipeline.Column}: executing \"{name}\" at <{at}>: {message}"));
}
