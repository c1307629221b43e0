using System.Globalization;

namespace OtelLab.Sim.Vault.Internal.Templates;

/// <summary>
/// Builds the parse tree: text, actions, <c>if</c>/<c>with</c>/<c>range</c> with <c>else</c> (including
/// <c>else if</c> / <c>else with</c> chains sharing one <c>end</c>), declarations and pipelines. Functions are
/// checked when parsing, as Go does. <c>define</c>/<c>template</c>/<c>block</c> are outside the subset.
/// upstream: go/src/text/template/parse/parse.go (itemList, parseControl, pipeline, command, operand, term).
/// </summary>
internal sealed class TemplateParser(string name, IReadOnlyList<TemplateItem> items, IReadOnlySet<string> functions)
{
    private int _index;

    public IReadOnlyList<TemplateNode> Parse()
    {
        var (list, terminator) = ParseList();
        if (terminator is not null)
        {
            throw Error(terminator.Line, $"unexpected {{{{{terminator.Tokens[0].Text}}}}}");
        }

        return list;
    }

    private (List<TemplateNode> List, ActionItem? Terminator) ParseList()
    {
        var list = new List<TemplateNode>();
        while (_index < items.Count)
        {
            var item = items[_index++];
            if (item is TextItem text)
            {
                list.Add(new TextNode(text.Text));
                continue;
            }

            var action = (ActionItem)item;
            if (action.Tokens.Count == 0)
            {
                throw Error(action.Line, "missing value for command");
            }

            var first = action.Tokens[0];
            if (first.Kind == TokenKind.Keyword)
            {
                switch (first.Text)
                {
                    case "end" or "else":
                        return (list, action);
                    case "if" or "with" or "range":
                        list.Add(ParseBranch(action, 0));
                        continue;
                    default:
                        throw Error(action.Line, $"{{{{{first.Text}}}}} is not supported by the lab's template engine");
                }
            }

            list.Add(new ActionNode(ParsePipeline(action, action.Tokens, allowDeclarations: 1)));
        }

        return (list, null);
    }

    // Parses "{{KEYWORD pipeline}} list [{{else …}} list] {{end}}"; offset skips "else" in an else-if chain.
    private BranchNode ParseBranch(ActionItem action, int offset)
    {
        var keyword = action.Tokens[offset].Text;
        var kind = keyword switch
        {
            "if" => BranchKind.If,
            "with" => BranchKind.With,
            _ => BranchKind.Range,
        };
        var pipeline = ParsePipeline(action, action.Tokens.Skip(offset + 1).ToList(), allowDeclarations: kind == BranchKind.Range ? 2 : 1);
        var (list, terminator) = ParseList();
        if (terminator is null)
        {
            throw Error(action.Line, "unexpected EOF");
        }

        List<TemplateNode> elseList = [];
        if (terminator.Tokens[0].Text == "else")
        {
            if (terminator.Tokens.Count > 1)
            {
                // {{else if …}} / {{else with …}}: a nested branch that consumes the shared {{end}}.
                var chained = terminator.Tokens[1];
                if (chained.Kind != TokenKind.Keyword || chained.Text is not ("if" or "with") || kind == BranchKind.Range)
                {
                    throw Error(terminator.Line, "unexpected tokens after {{else}}");
                }

                return new BranchNode(kind, pipeline, list, [ParseBranch(terminator, 1)]);
            }

            (elseList, terminator) = ParseList();
            if (terminator is null || terminator.Tokens[0].Text != "end")
            {
                throw Error(terminator?.Line ?? action.Line, terminator is null ? "unexpected EOF" : "expected end; found {{else}}");
            }
        }

        if (terminator.Tokens.Count > 1)
        {
            throw Error(terminator.Line, "unexpected tokens after {{end}}");
        }

        return new BranchNode(kind, pipeline, list, elseList);
    }

    private Pipeline ParsePipeline(ActionItem action, IReadOnlyList<TemplateToken> tokens, int allowDeclarations)
    {
        var declarations = new List<string>();
        var pos = 0;
        if (tokens.Count >= 2 && tokens[0].Kind == TokenKind.Variable && tokens[1].Kind is TokenKind.Declare or TokenKind.Assign)
        {
            declarations.Add(tokens[0].Text);
            pos = 2;
        }
        else if (tokens.Count >= 4 && tokens[0].Kind == TokenKind.Variable && tokens[1].Kind == TokenKind.Comma &&
                 tokens[2].Kind == TokenKind.Variable && tokens[3].Kind is TokenKind.Declare or TokenKind.Assign)
        {
            if (allowDeclarations < 2)
            {
                throw Error(action.Line, "too many declarations in command");
            }

            declarations.AddRange([tokens[0].Text, tokens[2].Text]);
            pos = 4;
        }

        var commands = new List<Command>();
        var operands = new List<Operand>();
        while (pos < tokens.Count)
        {
            var token = tokens[pos];
            if (token.Kind == TokenKind.Pipe)
            {
                if (operands.Count == 0)
                {
                    throw Error(token.Line, "missing command");
                }

                commands.Add(new Command(operands));
                operands = [];
                pos++;
                continue;
            }

            operands.Add(ParseOperand(tokens, ref pos));
        }

        if (operands.Count == 0)
        {
            throw Error(action.Line, commands.Count == 0 ? "missing value for command" : "missing command");
        }

        commands.Add(new Command(operands));

        // Go's ErrorContext: the line, and the 0-based byte offset within it, of the node that failed.
        var at = tokens[declarations.Count == 0 ? 0 : declarations.Count * 2];
        return new Pipeline(declarations, commands, at.Line, at.Column - 1);
    }

    private Operand ParseOperand(IReadOnlyList<TemplateToken> tokens, ref int pos)
    {
        var token = tokens[pos++];
        Operand operand;
        switch (token.Kind)
        {
            case TokenKind.Dot:
                operand = new FieldOperand([], ".");
                break;
            case TokenKind.Field:
                var fields = new List<string> { token.Text[1..] };
                ChainFields(tokens, ref pos, fields);
                return new FieldOperand(fields, "." + string.Join('.', fields));
            case TokenKind.Variable:
                var varFields = new List<string>();
                ChainFields(tokens, ref pos, varFields);
                return new VariableOperand(token.Text, varFields, string.Join('.', [token.Text, .. varFields]));
            case TokenKind.String:
                operand = new LiteralOperand(token.Text, Quote(token.Text));
                break;
            case TokenKind.Bool:
                operand = new LiteralOperand(token.Text == "true", token.Text);
                break;
            case TokenKind.Nil:
                operand = new LiteralOperand(null, "nil");
                break;
            case TokenKind.Number:
                operand = long.TryParse(token.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                    ? new LiteralOperand(number, token.Text)
                    : throw Error(token.Line, $"illegal number syntax: \"{token.Text}\"");
                break;
            case TokenKind.Identifier:
                if (!functions.Contains(token.Text))
                {
                    throw Error(token.Line, $"function \"{token.Text}\" not defined");
                }

                operand = new FunctionOperand(token.Text, token.Text);
                break;
            case TokenKind.LeftParen:
                var depth = 1;
                var start = pos;
                while (pos < tokens.Count && depth > 0)
                {
                    depth += tokens[pos].Kind switch
                    {
                        TokenKind.LeftParen => 1,
                        TokenKind.RightParen => -1,
                        _ => 0,
                    };
                    pos++;
                }

                if (depth > 0)
                {
                    throw Error(token.Line, "unclosed left paren");
                }

                var inner = ParsePipeline(new ActionItem([], token.Line, token.Column), tokens.Skip(start).Take(pos - start - 1).ToList(), allowDeclarations: 0);
                var subFields = new List<string>();
                ChainFields(tokens, ref pos, subFields);
                return new SubPipelineOperand(inner, subFields, "(...)" + string.Concat(subFields.Select(f => "." + f)));
            default:
                throw Error(token.Line, $"unexpected \"{token.Text}\" in operand");
        }

        return operand;
    }

    private static void ChainFields(IReadOnlyList<TemplateToken> tokens, ref int pos, List<string> fields)
    {
        while (pos < tokens.Count && tokens[pos].Kind == TokenKind.Field && !tokens[pos].SpaceBefore)
        {
            fields.Add(tokens[pos++].Text[1..]);
        }
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private TemplateException Error(int line, string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"template: {name}:{line}: {message}"));
}
