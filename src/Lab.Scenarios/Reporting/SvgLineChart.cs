using System.Globalization;
using System.Net;
using System.Text;

namespace OtelLab.Scenarios.Reporting;

/// <summary>A line chart over time as inline SVG (no script, no external resource), for the HTML reports.</summary>
public static class SvgLineChart
{
    private static readonly string[] Colors = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4b5563"];

    /// <summary>Renders <paramref name="series"/> (name → points of x seconds, y) on shared axes.</summary>
    public static string Render(string title, string unit, IReadOnlyList<(string Name, IReadOnlyList<(double X, double Y)> Points)> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        const int width = 640;
        const int height = 220;
        const int left = 56;
        const int top = 28;
        const int plotWidth = width - left - 16;
        const int plotHeight = height - top - 40;
        var all = series.SelectMany(s => s.Points).ToList();
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" role=\"img\" width=\"{width}\" height=\"{height + (series.Count * 16)}\" aria-label=\"{Enc(title)}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"16\" font-weight=\"bold\" font-size=\"13\">{Enc(title)}</text>");
        if (all.Count == 0)
        {
            svg.Append("<text x=\"0\" y=\"48\" font-size=\"12\" fill=\"#888\">no data</text></svg>");
            return svg.ToString();
        }

        var (minX, maxX) = (all.Min(p => p.X), Math.Max(all.Max(p => p.X), all.Min(p => p.X) + 1e-9));
        var maxY = Math.Max(all.Max(p => p.Y), 1e-9);
        double X(double x) => left + ((x - minX) / (maxX - minX) * plotWidth);
        double Y(double y) => top + plotHeight - (y / maxY * plotHeight);
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{top}\" width=\"{plotWidth}\" height=\"{plotHeight}\" fill=\"none\" stroke=\"#ccc\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 4}\" y=\"{top + 10}\" font-size=\"11\" text-anchor=\"end\">{maxY:0.##}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 4}\" y=\"{top + plotHeight}\" font-size=\"11\" text-anchor=\"end\">0</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{top + plotHeight + 16}\" font-size=\"11\">{minX:0.#} s</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + plotWidth}\" y=\"{top + plotHeight + 16}\" font-size=\"11\" text-anchor=\"end\">{maxX:0.#} s (lab time)</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (plotWidth / 2)}\" y=\"{top + plotHeight + 16}\" font-size=\"11\" text-anchor=\"middle\">{Enc(unit)}</text>");
        for (var i = 0; i < series.Count; i++)
        {
            var (name, points) = series[i];
            var color = Colors[i % Colors.Length];
            if (points.Count > 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"");
                svg.Append(string.Join(" ", points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.X):0.#},{Y(p.Y):0.#}"))));
                svg.Append("\"/>");
            }

            var y = height + (i * 16) - 8;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{y - 9}\" width=\"10\" height=\"10\" fill=\"{color}\"/><text x=\"{left + 14}\" y=\"{y}\" font-size=\"11\">{Enc(name)}</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Enc(string text) => WebUtility.HtmlEncode(text);
}
