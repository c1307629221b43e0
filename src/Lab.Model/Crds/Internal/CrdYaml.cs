using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Model.Crds.Internal;

/// <summary>
/// Reads the embedded CRD files: renders the few Helm template expressions the chart's copies hold, then converts
/// the YAML to JSON the way sigs.k8s.io/yaml does (YAML 1.1 plain scalars become numbers, booleans and null).
/// </summary>
internal static class CrdYaml
{
    /// <summary>The chart's defaults (values.yaml: crds.create, admissionWebhooks.create, servicePort 443) for a release <c>opentelemetry-operator</c>.</summary>
    private static readonly Dictionary<string, string> Expressions = new(StringComparer.Ordinal)
    {
        ["{{ include \"opentelemetry-operator.webhookCertAnnotation\" . }}"] = "opentelemetry-operator-system/opentelemetry-operator-serving-cert",
        ["{{ template \"opentelemetry-operator.fullname\" . }}"] = "opentelemetry-operator",
        ["{{ .Release.Namespace }}"] = "opentelemetry-operator-system",
        ["{{ .Values.admissionWebhooks.servicePort }}"] = "443",
    };

    public static JsonObject Read(string file, string text)
    {
        var rendered = Render(file, text);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(rendered));
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{file}:{e.Start.Line}:{e.Start.Column}: the embedded CRD is not valid YAML: {e.Message}", e);
        }

        var document = stream.Documents.FirstOrDefault(d => d.RootNode is YamlMappingNode)
            ?? throw new InvalidDataException($"{file}: the embedded CRD holds no YAML mapping");
        return (JsonObject)Convert(document.RootNode)!;
    }

    private static string Render(string file, string text)
    {
        var output = new StringBuilder(text.Length);
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            var trimmed = line.Trim();

            // Control lines ({{- if … }}, {{- end }}, the optional caBundle line): the defaults keep every guarded block.
            if (trimmed.StartsWith("{{", StringComparison.Ordinal) && trimmed.EndsWith("}}", StringComparison.Ordinal))
            {
                continue;
            }

            var rendered = line;
            foreach (var (expression, value) in Expressions)
            {
                rendered = rendered.Replace(expression, value, StringComparison.Ordinal);
            }

            if (rendered.Contains("{{", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{file}:{lineNumber}: a Helm template expression the CRD reader does not render: {trimmed}");
            }

            output.Append(rendered).Append('\n');
        }

        return output.ToString();
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? string.Empty, Convert(kv.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain)
        {
            return text;
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && text.Any(char.IsDigit) => d,
            _ => text,
        };
    }
}
