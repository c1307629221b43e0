namespace OtelLab.Model.Crds;

/// <summary>
/// Which Instrumentation an inject annotation selects, as the operator's pod webhook decides it; shared by the
/// lint (static) and the simulated webhook (at pod creation). upstream: internal/webhook/podmutation annotation.go
/// (annotationValue) and podmutator.go (getInstrumentationInstance, selectInstrumentationInstanceFromNamespace).
/// </summary>
public static class InstrumentationSelection
{
    /// <summary>
    /// The effective value of <paramref name="key"/> from the pod's and the namespace's annotations: namespace empty →
    /// pod; pod empty → namespace; pod not <c>true</c> → pod; pod <c>true</c> and namespace <c>false</c> → <c>true</c>;
    /// otherwise the namespace value.
    /// </summary>
    public static string EffectiveValue(IDictionary<string, string>? pod, IDictionary<string, string>? ns, string key)
    {
        var podValue = pod?.TryGetValue(key, out var p) == true ? p : string.Empty;
        var nsValue = ns?.TryGetValue(key, out var n) == true ? n : string.Empty;
        if (nsValue.Length == 0)
        {
            return podValue;
        }

        if (podValue.Length == 0)
        {
            return nsValue;
        }

        if (!string.Equals(podValue, "true", StringComparison.OrdinalIgnoreCase))
        {
            return podValue;
        }

        return string.Equals(nsValue, "false", StringComparison.OrdinalIgnoreCase) ? podValue : nsValue;
    }

    /// <summary>An effective value asks for injection unless it is empty or <c>false</c>.</summary>
    public static bool Requests(string value) =>
        value.Length > 0 && !string.Equals(value, "false", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The Instrumentation a requesting value names: <c>true</c> → the single one in the pod's namespace;
    /// <c>name</c> → in the pod's namespace; <c>ns/name</c> → in that namespace. Otherwise upstream's error text.
    /// </summary>
    public static (Instrumentation? Instrumentation, string? Error) Select(string value, string podNamespace, IReadOnlyList<Instrumentation> all)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(all);
        if (string.Equals(value, "true", StringComparison.OrdinalIgnoreCase))
        {
            var inNamespace = all.Where(i => i.Namespace == podNamespace).ToList();
            return inNamespace.Count switch
            {
                0 => (null, "no OpenTelemetry Instrumentation instances available"),
                1 => (inNamespace[0], null),
                _ => (null, "multiple OpenTelemetry Instrumentation instances available, cannot determine which one to select"),
            };
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var (ns, name) = slash < 0 ? (podNamespace, value) : (value[..slash], value[(slash + 1)..]);
        var found = all.FirstOrDefault(i => i.Namespace == ns && i.Name == name);

        // controller-runtime's cached client: NotFound names the Kind, `Instrumentation.opentelemetry.io "x" not found`.
        return found is null ? (null, $"Instrumentation.opentelemetry.io \"{name}\" not found") : (found, null);
    }
}
