namespace OtelLab.Sim.Operator.Instrumentation;

/// <summary>
/// The operator flags that shape pod mutation, with upstream's defaults (cmd flags / internal/config:
/// <c>--enable-*-instrumentation</c>, <c>--enable-multi-instrumentation</c>).
/// </summary>
public sealed record PodMutatorOptions
{
    public bool EnableJava { get; init; } = true;

    public bool EnableNodeJs { get; init; } = true;

    public bool EnablePython { get; init; } = true;

    public bool EnableDotNet { get; init; } = true;

    public bool EnableGo { get; init; }

    public bool EnableApacheHttpd { get; init; } = true;

    public bool EnableNginx { get; init; }

    /// <summary>Per-language <c>&lt;lang&gt;-container-names</c> annotations are read only when this is on (upstream default: on).</summary>
    public bool EnableMultiInstrumentation { get; init; } = true;
}
