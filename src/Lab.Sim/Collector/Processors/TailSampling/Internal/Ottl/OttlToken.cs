namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal.Ottl;

internal enum OttlTokenKind
{
    Identifier,
    String,
    Int,
    Float,
    Bytes,
    Symbol,
    End,
}

/// <summary>One lexical token of an OTTL condition; <see cref="Position"/> is 0-based in the condition text.</summary>
internal readonly record struct OttlToken(OttlTokenKind Kind, string Text, int Position)
{
    public bool Is(string symbolOrWord) =>
        Kind is OttlTokenKind.Symbol or OttlTokenKind.Identifier && Text == symbolOrWord;
}
