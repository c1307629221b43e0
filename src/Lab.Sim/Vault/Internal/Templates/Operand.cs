namespace OtelLab.Sim.Vault.Internal.Templates;

/// <summary>One argument of a command; <see cref="Source"/> is how Go names it in errors (<c>&lt;.Data.data.x&gt;</c>).</summary>
internal abstract record Operand(string Source);

/// <summary><c>.</c> or <c>.A.B</c>: fields looked up on dot.</summary>
internal sealed record FieldOperand(IReadOnlyList<string> Fields, string Source) : Operand(Source);

/// <summary><c>$x</c> or <c>$x.A.B</c>.</summary>
internal sealed record VariableOperand(string Name, IReadOnlyList<string> Fields, string Source) : Operand(Source);

/// <summary>A string, number, bool or nil constant.</summary>
internal sealed record LiteralOperand(object? Value, string Source) : Operand(Source);

internal sealed record FunctionOperand(string Name, string Source) : Operand(Source);

/// <summary><c>(pipeline).A.B</c>.</summary>
internal sealed record SubPipelineOperand(Pipeline Pipeline, IReadOnlyList<string> Fields, string Source) : Operand(Source);
