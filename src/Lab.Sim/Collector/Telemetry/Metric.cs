using System.Globalization;
using System.Text;

namespace OtelLab.Sim.Collector.Telemetry;

/// <summary>One named instrument of a collector component's internal telemetry (what <c>:8888/metrics</c> serves).</summary>
public abstract class Metric
{
    private protected Metric(string name, string help)
    {
        Name = name;
        Help = help;
    }

    public string Name { get; }

    public string Help { get; }

    /// <summary>The Prometheus <c># TYPE</c> word.</summary>
    public abstract string PrometheusType { get; }

    internal abstract void RenderSamples(StringBuilder output, string renderedName);

    private protected static string LabelKey(IReadOnlyList<KeyValuePair<string, string>> labels) =>
        string.Join('\u0001', labels.Select(l => l.Key + "\u0002" + l.Value));

    private protected static void AppendSample(
        StringBuilder output, string name, IReadOnlyList<KeyValuePair<string, string>> labels, string value,
        KeyValuePair<string, string>? extra = null)
    {
        output.Append(name);
        var all = extra is { } e ? labels.Append(e).ToList() : labels;
        if (all.Count > 0)
        {
            output.Append('{');
            for (var i = 0; i < all.Count; i++)
            {
                if (i > 0)
                {
                    output.Append(',');
                }

                output.Append(all[i].Key).Append("=\"").Append(Escape(all[i].Value)).Append('"');
            }

            output.Append('}');
        }

        output.Append(' ').Append(value).Append('\n');
    }

    private protected static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);
}
