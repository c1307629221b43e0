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
    /// <param name="cache">The scrape loop's series seen before (null: parse every line in full). A line whose series
    /// text the cache holds reuses its name and labels; only the value is parsed.</param>
    public static bool TryParse(string text, out List<ExpositionSample> samples, out Dictionary<string, string> types, out string? error, ScrapeCache? cache = null)
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

            if (cache is not null && SeriesText(line) is { IsEmpty: false } series && cache.TryGet(series, out var name, out var labels))
            {
                if (!TryParseValuePart(line[series.Length..], out var value))
                {
                    error = string.Create(CultureInfo.InvariantCulture, $"line {lineNumber}: malformed sample \"{line.ToString()}\"");
                    return false;
                }

                samples.Add(new ExpositionSample(name, labels, value));
                continue;
            }

            if (!TryParseSample(line, out var sample, out var seriesLength))
            {
                error = string.Create(CultureInfo.InvariantCulture, $"line {lineNumber}: malformed sample \"{line.ToString()}\"");
                return false;
            }

            cache?.Add(line[..seriesLength], sample.Name, sample.Labels);
            samples.Add(sample);
        }

        return true;
    }

    // The text that names a line's series, found without parsing it: the name, and with a label block everything up to
    // the line's last '}' (a value or timestamp holds none). A hit on it is exactly the text a full parse consumed when
    // it cached the entry, so it parses to the same name and labels; any other text misses and is parsed in full.
    private static ReadOnlySpan<char> SeriesText(ReadOnlySpan<char> line)
    {
        var i = line.IndexOfAny('{', ' ', '\t');
        if (i < 0)
        {
            return line;
        }

        if (line[i] != '{')
        {
            return line[..i];
        }

        var close = line.LastIndexOf('}');
        return close > i ? line[..(close + 1)] : default;
    }

    private static bool TryParseSample(ReadOnlySpan<char> line, out ExpositionSample sample, out int seriesLength)
    {
        sample = default;
        seriesLength = 0;
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

        if (!TryParseValuePart(line[i..], out var v))
        {
            return false;
        }

        seriesLength = i;
        sample = new ExpositionSample(name, labels, v);
        return true;
    }

    // What follows the series: the value, then an optional timestamp (ignored, see above).
    private static bool TryParseValuePart(ReadOnlySpan<char> afterSeries, out double value)
    {
        var rest = afterSeries.Trim();
        var space = rest.IndexOfAny(' ', '\t');
        return TryParseValue(space < 0 ? rest : rest[..space], out value);
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
