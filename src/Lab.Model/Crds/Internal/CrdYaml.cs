using System.Text;
using System.Text.Json.Nodes;
using OtelLab.Model.Yaml;
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
        return (JsonObject)YamlJson.Convert(document.RootNode)!;
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
}
