using System.Text.Json;

namespace OtelLab.Lint.Reporting;

/// <summary>Findings as JSON for machines: <c>{"findings":[…],"summary":{…}}</c>.</summary>
public static class FindingJsonWriter
{
    public static string Write(IReadOnlyList<Finding> findings)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("findings");
            foreach (var f in findings)
            {
                json.WriteStartObject();
                json.WriteString("ruleId", f.RuleId);
                json.WriteString("severity", f.Severity.ToString().ToLowerInvariant());
                json.WriteString("object", f.Object);
                json.WriteString("file", f.Location.File);
                json.WriteNumber("line", f.Location.Line);
                json.WriteNumber("column", f.Location.Column);
                json.WriteString("message", f.Message);
                json.WriteStartArray("evidence");
                foreach (var e in f.Evidence)
                {
                    json.WriteStringValue(e);
                }

                json.WriteEndArray();
                json.WriteString("why", f.Why);
                json.WriteString("fix", f.Fix);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("summary");
            json.WriteNumber("error", findings.Count(f => f.Severity == Severity.Error));
            json.WriteNumber("warning", findings.Count(f => f.Severity == Severity.Warning));
            json.WriteNumber("note", findings.Count(f => f.Severity == Severity.Note));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
