using System.Globalization;
using System.Text;

namespace OtelLab.Sim.Collector.Receivers.Prometheus.Internal;

/// <summary>
/// Parses Prometheus text exposition 0.0.4 (upstream: prometheus model/textparse/promparse.go): <c># TYPE</c> and
/// <c># HELP</c> lines, samples with escaped label values (<c>\\</c>, <c>\"</c>, <c>\n</c>), optional timestamps
/// (ignored, as the receiver stamps the scrape time unless honor_timestamps and a timestamp is given — the farm sends
/// none). A malformed line is counted, never thrown: Prometheus fails the whole scrape on one, and so does this.
/// </summary>
internal static class ExpositionParser
{
    public static bool TryParse(string text, out List<ExpositionSample> samples, out Dictionary<string, string> types, out string? error)
    {
        samples = [];
        types = new Dictionary<string, string>(StringComparer.Ordinal);
        error = null;
        var lineNumber = 0;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.IsEmpty)
            {
                continue;
            }

            if (line[0] == '#')
            {
                var rest = line[1..].TrimStart();
                if (rest.StartsWith("TYPE "))
                {
                    var parts = rest[5..].ToString().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (parts.Length == 2)
                    {
                        types[parts[0]] = parts[1];
                    }
                }

                continue;
            }

            if (!TryParseSample(line, out var sample))
            {
                error = string.Create(CultureInfo.InvariantCulture, $"line {lineNumber}: malformed sample \"{line.ToString()}\"");
                return false;
            }

            samples.Add(sample);
        }

        return true;
    }

    private static bool TryParseSample(ReadOnlySpan<char> line, out ExpositionSample sample)
    {
        sample = default;
        var i = 0;
        while (i < line.Length && line[i] is not ('{' or ' ' or '\t'))
        {
            i++;
        }

        var name = line[..i].ToString();
        if (name.Length == 0)
        {
            return false;
        }

        var labels = new List<KeyValuePair<string, string>>();
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (true)
            {
                while (i < line.Length && line[i] is ' ' or ',')
                {
                    i++;
                }

                if (i < line.Length && line[i] == '}')
                {
                    i++;
                    break;
                }

                var eq = line[i..].IndexOf('=');
                if (eq < 0)
                {
                    return false;
                }

                var labelName = line.Slice(i, eq).Trim().ToString();
                i += eq + 1;
                if (i >= line.Length || line[i] != '"')
                {
                    return false;
                }

                i++;
                var value = new StringBuilder();
                while (i < line.Length && line[i] != '"')
                {
                    if (line[i] == '\\' && i + 1 < line.Length)
                    {
                        i++;
                        value.Append(line[i] == 'n' ? '\n' : line[i]);
                    }
                    else
                    {
                        value.Append(line[i]);
                    }

                    i++;
                }

                if (i >= line.Length)
                {
                    return false;
                }

                i++;
                labels.Add(KeyValuePair.Create(labelName, value.ToString()));
            }
        }

        var rest = line[i..].Trim();
        var space = rest.IndexOfAny(' ', '\t');
        var valueText = space < 0 ? rest : rest[..space];
        if (!TryParseValue(valueText, out var v))
        {
            return false;
        }

        sample = new ExpositionSample(name, labels, v);
        return true;
    }

    private static bool TryParseValue(ReadOnlySpan<char> text, out double value)
    {
        switch (text)
        {
            case "+Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }
}
