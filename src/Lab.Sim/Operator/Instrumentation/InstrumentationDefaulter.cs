using k8s.Models;
using OtelLab.Model.Crds;
using InstrumentationCr = OtelLab.Model.Crds.Instrumentation;

namespace OtelLab.Sim.Operator.Instrumentation;

/// <summary>
/// The operator's defaulting webhook for Instrumentation CRs (upstream apis/v1alpha1/instrumentation_webhook.go
/// <c>defaulter</c>): every language block gets the operator's default image when it names none, and init-container
/// resources when it sets no limits / requests. It runs when the CR is created or updated, before any pod uses it.
/// </summary>
public static class InstrumentationDefaulter
{
    // upstream defaulter: (limits cpu, limits memory, requests cpu, requests memory) per language block.
    private static readonly Dictionary<string, (string LimitCpu, string LimitMemory, string RequestCpu, string RequestMemory)> Resources =
        new(StringComparer.Ordinal)
        {
            ["java"] = ("500m", "64Mi", "50m", "64Mi"),
            ["nodejs"] = ("500m", "128Mi", "50m", "128Mi"),
            ["python"] = ("500m", "64Mi", "50m", "64Mi"),
            ["dotnet"] = ("500m", "128Mi", "50m", "128Mi"),
            ["go"] = ("500m", "64Mi", "50m", "64Mi"),
            ["apacheHttpd"] = ("500m", "128Mi", "1m", "128Mi"),
            ["nginx"] = ("500m", "128Mi", "1m", "128Mi"),
        };

    /// <param name="defaultImages">The operator's auto-instrumentation images by language block (its <c>--auto-instrumentation-*-image</c> flags); languages without one keep no image.</param>
    public static InstrumentationCr Apply(InstrumentationCr instrumentation, IReadOnlyDictionary<string, string>? defaultImages = null)
    {
        ArgumentNullException.ThrowIfNull(instrumentation);
        var languages = new Dictionary<string, InstrumentationLanguage>(StringComparer.Ordinal);
        foreach (var (key, r) in Resources)
        {
            var block = instrumentation.Language(key);
            var resources = block.Resources ?? new V1ResourceRequirements();
            languages[key] = block with
            {
                Image = string.IsNullOrEmpty(block.Image) ? defaultImages?.GetValueOrDefault(key) : block.Image,
                Resources = new V1ResourceRequirements
                {
                    Claims = resources.Claims,
                    Limits = resources.Limits ?? Quantities(r.LimitCpu, r.LimitMemory),
                    Requests = resources.Requests ?? Quantities(r.RequestCpu, r.RequestMemory),
                },
            };
        }

        foreach (var (key, block) in instrumentation.Languages.Where(l => !languages.ContainsKey(l.Key)))
        {
            languages[key] = block;
        }

        return instrumentation with { Languages = languages };
    }

    private static Dictionary<string, ResourceQuantity> Quantities(string cpu, string memory) => new(StringComparer.Ordinal)
    {
        ["cpu"] = new ResourceQuantity(cpu),
        ["memory"] = new ResourceQuantity(memory),
    };
}
