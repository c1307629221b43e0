namespace OtelLab.Sim.Vault.Internal.Templates;

/// <summary>What the lexer yields: literal text, or the tokens of one action.</summary>
internal abstract record TemplateItem(int Line);

internal sealed record TextItem(string Text, int Line) : TemplateItem(Line);

internal sealed record ActionItem(IReadOnlyList<TemplateToken> Tokens, int Line, int Column) : TemplateItem(Line);
