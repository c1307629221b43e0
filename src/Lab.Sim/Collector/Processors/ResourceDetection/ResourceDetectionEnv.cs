using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.ResourceDetection;

/// <summary>
/// The <c>env</c> detector: <c>OTEL_RESOURCE_ATTRIBUTES</c> of the collector's own container (not the apps').
/// upstream internal/env/env.go initializeAttributeMap: comma-separated <c>key=value</c>, trimmed, values
/// URL-unescaped; a pair without '=' makes the whole variable invalid (<c>invalid resource format</c>) and nothing is
/// detected.
/// </summary>
public static class ResourceDetectionEnv
{
    public static IReadOnlyList<KeyValuePair<string, AttributeValue>> Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        var result = new List<KeyValuePair<string, AttributeValue>>();
        foreach (var pair in value.Split(','))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                return [];
            }

            var key = pair[..eq].Trim();
            string decoded;
            try
            {
                decoded = Uri.UnescapeDataString(pair[(eq + 1)..].Trim().Replace('+', ' '));
            }
            catch (UriFormatException)
            {
                return [];
            }

            result.Add(new(key, decoded));
        }

        return result;
    }
}
