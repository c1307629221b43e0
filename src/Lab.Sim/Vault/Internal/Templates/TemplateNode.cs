namespace OtelLab.Sim.Vault.Internal.Templates;

/// <summary>The parse tree of a template. upstream: go/src/text/template/parse/node.go (the subset used here).</summary>
internal abstract record TemplateNode;

internal sealed record TextNode(string Text) : TemplateNode;

internal sealed record ActionNode(Pipeline Pipeline) : TemplateNode;

internal enum BranchKind
{
    If,
    With,
    Range,
}

/// <summary><c>{{if}}</c>, <c>{{with}}</c> or <c>{{range}}</c> with its body and optional <c>{{else}}</c> body.</summary>
internal sealed record BranchNode(BranchKind Kind, Pipeline Pipeline, IReadOnlyList<TemplateNode> List, IReadOnlyList<TemplateNode> ElseList) : TemplateNode;

/// <summary>Optional <c>$x :=</c> declarations, then commands joined by <c>|</c>.</summary>
internal sealed record Pipeline(IReadOnlyList<string> Declarations, IReadOnlyList<Command> Commands, int Line, int Column);

internal sealed record Command(IReadOnlyList<Operand> Operands);
