using System.Globalization;
using System.Text;
using OtelLab.Sim.Kubelet;

namespace OtelLab.Sim.Collector.Runtime;

/// <summary>
/// Writes upstream-shaped collector log lines into a <see cref="ContainerLog"/>: zap's console encoder,
/// <c>{RFC3339 ms}\t{level}\t{message}\t{json fields}</c> (upstream: service/telemetry logger, development=false,
/// encoding console), e.g. <c>2026-11-24T01:00:00.000Z	warn	Partial success response	{"kind": "exporter", …}</c>.
/// Callers must mask secrets before passing them.
/// </summary>
public sealed class CollectorLog(ContainerLog log, TimeProvider time)
{
    public ContainerLog Lines => log;

    public void Info(string message, params (string Key, object? Value)[] fields) => Write("info", message, fields);

    public void Warn(string message, params (string Key, object? Value)[] fields) => Write("warn", message, fields);

    public void Error(string message, params (string Key, object? Value)[] fields) => Write("error", message, fields);

    /// <summary>The component fields upstream's logger carries (<c>otelcol.component.id</c>, kind, signal).</summary>
    public static (string, object?)[] Component(string kind, string id, string? signal, params (string Key, object? Value)[] more)
    {
        var fields = new List<(string, object?)> { ("otelcol.component.id", id), ("otelcol.component.kind", kind) };
        if (signal is not null)
        {
            fields.Add(("otelcol.signal", signal));
        }

        fields.AddRange(more);
        return [.. fields];
    }

    private void Write(string level, string message, (string Key, object? Value)[] fields)
    {
        var line = new StringBuilder();
        line.Append(time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
            .Append('\t').Append(level).Append('\t').Append(message);
        if (fields.Length > 0)
        {
            line.Append("\t{");
            for (var i = 0; i < fields.Length; i++)
            {
                if (i > 0)
                {
                    line.Append(", ");
                }

                line.Append('"').Append(fields[i].Key).Append("\": ").Append(Json(fields[i].Value));
            }

            line.Append('}');
        }

        log.Write(line.ToString());
    }

    private static string Json(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        int or long or double or ulong => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        _ => System.Text.Json.JsonSerializer.Serialize(value.ToString()),
    };
}
