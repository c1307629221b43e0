namespace OtelLab.Sim.Vault.Internal.Templates;

/// <summary>A template function; throw <see cref="TemplateFunctionException"/> to fail the execution.</summary>
internal delegate object? TemplateFunction(IReadOnlyList<object?> args);
