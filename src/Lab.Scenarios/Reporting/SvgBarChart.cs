using System.Globalization;
using System.Net;
using System.Text;

namespace OtelLab.Scenarios.Reporting;

/// <summary>A horizontal bar chart as inline SVG (no script, no external resource), for the HTML report.</summary>
public static class SvgBarChart
{
    public static string Render(string title, IReadOnlyList<(string Label, double Value)> bars, string color = "#3b82f6", string unit = "")
    {
        ArgumentNullException.ThrowIfNull(bars);
        const int labelWidth = 220;
        const int barArea = 360;
        const int row = 24;
        var height = 30 + Math.Max(1, bars.Count) * row;
        var max = bars.Count == 0 ? 1 : Math.Max(bars.Max(b => b.Value), 1e-9);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" role=\"img\" width=\"{labelWidth + barArea + 90}\" height=\"{height}\" aria-label=\"{Enc(title)}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"16\" font-weight=\"bold\" font-size=\"13\">{Enc(title)}</text>");
        if (bars.Count == 0)
        {
            svg.Append("<text x=\"0\" y=\"44\" font-size=\"12\" fill=\"#888\">no data</text>");
        }

        for (var i = 0; i < bars.Count; i++)
        {
            var (label, value) = bars[i];
            var y = 30 + (i * row);
            var w = Math.Max(value > 0 ? 2 : 0, value / max * barArea);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 15}\" font-size=\"12\">{Enc(label)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth}\" y=\"{y + 3}\" width=\"{w:0.#}\" height=\"16\" fill=\"{color}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + w + 6:0.#}\" y=\"{y + 15}\" font-size=\"12\">{value:0.##}{Enc(unit)}</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Enc(string text) => WebUtility.HtmlEncode(text);
}
