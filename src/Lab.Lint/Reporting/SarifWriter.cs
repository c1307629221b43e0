using System.Text.Json;

namespace OtelLab.Lint.Reporting;

/// <summary>
/// SARIF 2.1.0 for code scanning: one run, <c>tool.driver.rules</c> for every rule, one result per finding with
/// <c>ruleId</c>, <c>ruleIndex</c>, <c>level</c>, <c>message.text</c> and a physical location (uri relative to the repository, startLine).
/// </summary>
public static class SarifWriter
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    public static string Write(IReadOnlyList<Finding> findings, IReadOnlyList<LintRule> rules, string? version = null)
    {
        var index = rules.Select((r, i) => (r.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", SchemaUri);
            json.WriteString("version", "2.1.0");
            json.WriteStartArray("runs");
            json.WriteStartObject();
            json.WriteStartObject("tool");
            json.WriteStartObject("driver");
            json.WriteString("name", "otel-lab");
            json.WriteString("version", version ?? "0.1.0");
            json.WriteString("informationUri", "https://opentelemetry.io/docs/platforms/kubernetes/operator/");
            json.WriteStartArray("rules");
            foreach (var r in rules)
            {
                json.WriteStartObject();
                json.WriteString("id", r.Id);
                json.WriteString("name", Pascal(r.Id));
                json.WriteStartObject("shortDescription");
                json.WriteString("text", r.Title);
                json.WriteEndObject();
                json.WriteStartObject("fullDescription");
                json.WriteString("text", r.Why);
                json.WriteEndObject();
                json.WriteStartObject("defaultConfiguration");
                json.WriteString("level", Level(r.Severity));
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartArray("results");
            foreach (var f in findings)
            {
                json.WriteStartObject();
                json.WriteString("ruleId", f.RuleId);
                if (index.TryGetValue(f.RuleId, out var i))
                {
                    json.WriteNumber("ruleIndex", i);
                }

                json.WriteString("level", Level(f.Severity));
                json.WriteStartObject("message");
                json.WriteString("text", $"{f.Message}. Fix: {f.Fix}");
                json.WriteEndObject();
                json.WriteStartArray("locations");
                json.WriteStartObject();
                json.WriteStartObject("physicalLocation");
                json.WriteStartObject("artifactLocation");
                json.WriteString("uri", f.Location.File.Replace('\\', '/'));
                json.WriteEndObject();
                json.WriteStartObject("region");
                json.WriteNumber("startLine", Math.Max(1, f.Location.Line));
                if (f.Location.Column > 0)
                {
                    json.WriteNumber("startColumn", f.Location.Column);
                }

                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteStartObject("properties");
                json.WriteString("object", f.Object);
                json.WriteStartArray("evidence");
                foreach (var e in f.Evidence)
                {
                    json.WriteStringValue(e);
                }

                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public static string Level(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };

    private static string Pascal(string id) =>
        string.Concat(id.Split('-').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
}
