namespace OtelLab.Sim.Vault.Internal.Templates;

internal enum TokenKind
{
    Field,
    Dot,
    Variable,
    Identifier,
    Keyword,
    String,
    Number,
    Bool,
    Nil,
    Pipe,
    LeftParen,
    RightParen,
    Declare,
    Assign,
    Comma,
}

/// <summary>A token inside an action; <see cref="SpaceBefore"/> separates arguments from chained fields.</summary>
internal sealed record TemplateToken(TokenKind Kind, string Text, int Line, int Column, bool SpaceBefore);
