using InstrumentationCr = OtelLab.Model.Crds.Instrumentation;

namespace OtelLab.Sim.Operator.Instrumentation.Internal;

/// <summary>upstream podmutator.go <c>instrumentationWithContainers</c>: the chosen Instrumentation and target containers of one language.</summary>
internal sealed class LanguageSelection(AutoLanguage language, InstrumentationCr instrumentation)
{
    public AutoLanguage Language { get; } = language;

    public InstrumentationCr Instrumentation { get; } = instrumentation;

    public List<string> Containers { get; set; } = [];

    /// <summary>Extra annotations the injector reads (python platform, dotnet runtime).</summary>
    public Dictionary<string, string> AdditionalAnnotations { get; } = new(StringComparer.Ordinal);
}
