namespace OtelLab.Sim.Vault.Internal.Templates;

/// <summary>A template function; throw <see cref="TemplateException"/> with the bare reason to fail the execution
/// (the executor reports it as <c>error calling NAME: REASON</c>).</summary>
internal delegate object? TemplateFunction(IReadOnlyList<object?> args);
