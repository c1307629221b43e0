using System.Globalization;
using System.Text.Json;

namespace OtelLab.Sim.Collector.Traces;

/// <summary>
/// Reads OTLP/JSON traces (an <c>ExportTraceServiceRequest</c> / <c>TracesData</c>, or several of them one after
/// another as the file exporter writes them) into <see cref="TraceSpan"/>s, in document order.
/// Follows the OTLP/JSON encoding rules: hex trace/span ids, 64-bit integers as strings or numbers, enums as
/// integers or names, lowerCamelCase keys (the protobuf snake_case names are accepted too), and the legacy
/// <c>instrumentationLibrarySpans</c> next to <c>scopeSpans</c>.
/// </summary>
public static class OtlpJsonTraceReader
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        AllowMultipleValues = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    public static IReadOnlyList<TraceSpan> Read(string json) => Read(System.Text.Encoding.UTF8.GetBytes(json));

    /// <summary>Reads every request in <paramref name="utf8Json"/>; throws <see cref="OtlpJsonFormatException"/> on bad input.</summary>
    public static IReadOnlyList<TraceSpan> Read(ReadOnlySpan<byte> utf8Json)
    {
        var spans = new List<TraceSpan>();
        var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
        var document = 0;
        try
        {
            while (true)
            {
                if (!reader.Read())
                {
                    break;
                }

                using var doc = JsonDocument.ParseValue(ref reader);
                var prefix = document == 0 ? string.Empty : $"(request {document + 1}) ";
                ReadRequest(doc.RootElement, prefix, spans);
                document++;
            }
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            var column = (ex.BytePositionInLine ?? 0) + 1;
            throw new OtlpJsonFormatException($"line {line}, column {column}: not valid JSON: {FirstSentence(ex.Message)}", line, column, ex);
        }

        return spans;
    }

    private static void ReadRequest(JsonElement root, string path, List<TraceSpan> spans)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in root.EnumerateArray())
            {
                ReadRequest(item, $"{path}[{i++}]", spans);
            }

            return;
        }

        Expect(root, JsonValueKind.Object, path.Length == 0 ? "the document" : path);
        var resourceSpans = Property(root, "resourceSpans", "resource_spans")
            ?? throw Shape(path + "resourceSpans", "is missing: this is not an OTLP/JSON traces request (expected {\"resourceSpans\": [...]})");
        var r = 0;
        foreach (var rs in Array(resourceSpans, path + "resourceSpans"))
        {
            var rsPath = $"{path}resourceSpans[{r++}]";
            var resource = new TelemetryResource(
                Property(rs, "resource") is { } res ? Attributes(res, rsPath + ".resource") : new Dictionary<string, AttributeValue>());
            var scopes = Property(rs, "scopeSpans", "scope_spans") ?? Property(rs, "instrumentationLibrarySpans", "instrumentation_library_spans");
            if (scopes is null)
            {
                continue;
            }

            var s = 0;
            foreach (var scope in Array(scopes.Value, rsPath + ".scopeSpans"))
            {
                var scopePath = $"{rsPath}.scopeSpans[{s++}]";
                var scopeInfo = Property(scope, "scope") ?? Property(scope, "instrumentationLibrary", "instrumentation_library");
                var scopeName = scopeInfo is { } si && Property(si, "name") is { } sn ? String(sn, scopePath + ".scope.name") : string.Empty;
                var scopeVersion = scopeInfo is { } sv && Property(sv, "version") is { } svv ? String(svv, scopePath + ".scope.version") : string.Empty;
                var k = 0;
                foreach (var span in Property(scope, "spans") is { } list ? Array(list, scopePath + ".spans") : [])
                {
                    spans.Add(Span(span, $"{scopePath}.spans[{k++}]", resource) with { ScopeName = scopeName, ScopeVersion = scopeVersion });
                }
            }
        }
    }

    private static TraceSpan Span(JsonElement span, string path, TelemetryResource resource)
    {
        Expect(span, JsonValueKind.Object, path);
        var traceId = Property(span, "traceId", "trace_id") is { } t ? TraceIdOf(t, path + ".traceId") : throw Shape(path + ".traceId", "is missing");
        return new TraceSpan
        {
            TraceId = traceId,
            SpanId = Property(span, "spanId", "span_id") is { } sid ? SpanIdOf(sid, path + ".spanId") : throw Shape(path + ".spanId", "is missing"),
            ParentSpanId = Property(span, "parentSpanId", "parent_span_id") is { } p ? SpanIdOf(p, path + ".parentSpanId", allowEmpty: true) : 0,
            Name = Property(span, "name") is { } n ? String(n, path + ".name") : string.Empty,
            StartTimeUnixNano = Property(span, "startTimeUnixNano", "start_time_unix_nano") is { } st ? UInt64(st, path + ".startTimeUnixNano") : 0,
            EndTimeUnixNano = Property(span, "endTimeUnixNano", "end_time_unix_nano") is { } et ? UInt64(et, path + ".endTimeUnixNano") : 0,
            Status = Property(span, "status") is { } status ? StatusOf(status, path + ".status") : SpanStatusCode.Unset,
            StatusMessage = Property(span, "status") is { } sm && Property(sm, "message") is { } m ? String(m, path + ".status.message") : string.Empty,
            Kind = Property(span, "kind") is { } kind ? KindOf(kind, path + ".kind") : SpanKind.Unspecified,
            TraceState = Property(span, "traceState", "trace_state") is { } ts ? String(ts, path + ".traceState") : string.Empty,
            Flags = Property(span, "flags") is { } f ? (uint)UInt64(f, path + ".flags") : 0,
            Resource = resource,
            Attributes = Attributes(span, path),
            Events = Property(span, "events") is { } events
                ? [.. Array(events, path + ".events").Select((e, i) => Event(e, $"{path}.events[{i}]"))]
                : [],
            Links = Property(span, "links") is { } links
                ? [.. Array(links, path + ".links").Select((l, i) => Link(l, $"{path}.links[{i}]"))]
                : [],
        };
    }

    private static SpanEvent Event(JsonElement e, string path)
    {
        Expect(e, JsonValueKind.Object, path);
        return new SpanEvent(
            Property(e, "name") is { } n ? String(n, path + ".name") : string.Empty,
            Property(e, "timeUnixNano", "time_unix_nano") is { } t ? UInt64(t, path + ".timeUnixNano") : 0,
            Attributes(e, path));
    }

    private static SpanLink Link(JsonElement l, string path)
    {
        Expect(l, JsonValueKind.Object, path);
        return new SpanLink(
            Property(l, "traceId", "trace_id") is { } t ? TraceIdOf(t, path + ".traceId") : TraceId.Empty,
            Property(l, "spanId", "span_id") is { } sid ? SpanIdOf(sid, path + ".spanId", allowEmpty: true) : 0,
            Property(l, "traceState", "trace_state") is { } ts ? String(ts, path + ".traceState") : string.Empty,
            Property(l, "flags") is { } f ? (uint)UInt64(f, path + ".flags") : 0,
            Attributes(l, path));
    }

    private static SpanKind KindOf(JsonElement kind, string path) => kind.ValueKind switch
    {
        JsonValueKind.Number when kind.TryGetInt32(out var n) && n is >= 0 and <= 5 => (SpanKind)n,
        JsonValueKind.String => kind.GetString() switch
        {
            "SPAN_KIND_UNSPECIFIED" => SpanKind.Unspecified,
            "SPAN_KIND_INTERNAL" => SpanKind.Internal,
            "SPAN_KIND_SERVER" => SpanKind.Server,
            "SPAN_KIND_CLIENT" => SpanKind.Client,
            "SPAN_KIND_PRODUCER" => SpanKind.Producer,
            "SPAN_KIND_CONSUMER" => SpanKind.Consumer,
            var other => throw Shape(path, $"\"{other}\" is not a span kind (0-5 or a SPAN_KIND_* name)"),
        },
        _ => throw Shape(path, $"{kind.GetRawText()} is not a span kind (0-5 or a SPAN_KIND_* name)"),
    };

    private static SpanStatusCode StatusOf(JsonElement status, string path)
    {
        Expect(status, JsonValueKind.Object, path);
        if (Property(status, "code") is not { } code)
        {
            return SpanStatusCode.Unset;
        }

        return code.ValueKind switch
        {
            JsonValueKind.Number when code.TryGetInt32(out var n) && n is >= 0 and <= 2 => (SpanStatusCode)n,
            JsonValueKind.String => code.GetString() switch
            {
                "STATUS_CODE_UNSET" => SpanStatusCode.Unset,
                "STATUS_CODE_OK" => SpanStatusCode.Ok,
                "STATUS_CODE_ERROR" => SpanStatusCode.Error,
                var other => throw Shape(path + ".code", $"\"{other}\" is not a status code (0, 1, 2, STATUS_CODE_UNSET, STATUS_CODE_OK or STATUS_CODE_ERROR)"),
            },
            _ => throw Shape(path + ".code", $"{code.GetRawText()} is not a status code (0, 1, 2 or a STATUS_CODE_* name)"),
        };
    }

    private static Dictionary<string, AttributeValue> Attributes(JsonElement owner, string path)
    {
        var result = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        if (Property(owner, "attributes") is not { } list)
        {
            return result;
        }

        var i = 0;
        foreach (var kv in Array(list, path + ".attributes"))
        {
            var (key, value) = KeyValue(kv, $"{path}.attributes[{i++}]");
            result[key] = value;
        }

        return result;
    }

    private static (string Key, AttributeValue Value) KeyValue(JsonElement kv, string path)
    {
        Expect(kv, JsonValueKind.Object, path);
        var key = Property(kv, "key") is { } k ? String(k, path + ".key") : throw Shape(path + ".key", "is missing");
        var value = Property(kv, "value") is { } v ? AnyValue(v, path + ".value") : AttributeValue.Empty;
        return (key, value);
    }

    private static AttributeValue AnyValue(JsonElement value, string path)
    {
        Expect(value, JsonValueKind.Object, path);
        foreach (var member in value.EnumerateObject())
        {
            var p = path + "." + member.Name;
            var v = member.Value;
            switch (member.Name)
            {
                case "stringValue" or "string_value":
                    return AttributeValue.FromString(String(v, p));
                case "boolValue" or "bool_value":
                    return v.ValueKind is JsonValueKind.True or JsonValueKind.False ? AttributeValue.FromBool(v.GetBoolean()) : throw Shape(p, "is not true or false");
                case "intValue" or "int_value":
                    return AttributeValue.FromInt(Int64(v, p));
                case "doubleValue" or "double_value":
                    return AttributeValue.FromDouble(Double(v, p));
                case "bytesValue" or "bytes_value":
                    return AttributeValue.FromBytes(v.TryGetBytesFromBase64(out var bytes) ? bytes : throw Shape(p, "is not base64"));
                case "arrayValue" or "array_value":
                    var items = Property(v, "values") is { } values ? Array(values, p + ".values").Select((x, i) => AnyValue(x, $"{p}.values[{i}]")).ToList() : [];
                    return AttributeValue.FromArray(items);
                case "kvlistValue" or "kvlist_value":
                    var entries = Property(v, "values") is { } kvs ? Array(kvs, p + ".values").Select((x, i) => KeyValue(x, $"{p}.values[{i}]")).ToDictionary(e => e.Key, e => e.Value) : [];
                    return AttributeValue.FromMap(entries);
            }
        }

        return AttributeValue.Empty;
    }

    private static TraceId TraceIdOf(JsonElement e, string path)
    {
        var text = String(e, path);
        if (TraceId.TryParseHex(text, out var id))
        {
            return id;
        }

        throw Shape(path, text.Length == 0 ? "is empty: every span needs a trace id" : $"\"{text}\" is not a trace id: OTLP/JSON writes it as 32 hex digits");
    }

    private static ulong SpanIdOf(JsonElement e, string path, bool allowEmpty = false)
    {
        var text = String(e, path);
        if (text.Length == 0 && allowEmpty)
        {
            return 0;
        }

        return text.Length == 16 && ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw Shape(path, $"\"{text}\" is not a span id: OTLP/JSON writes it as 16 hex digits");
    }

    private static ulong UInt64(JsonElement e, string path) => e.ValueKind switch
    {
        JsonValueKind.Number when e.TryGetUInt64(out var n) => n,
        JsonValueKind.String when ulong.TryParse(e.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
        _ => throw Shape(path, $"{e.GetRawText()} is not an unsigned 64-bit integer (nanoseconds since the epoch, as a string or a number)"),
    };

    private static long Int64(JsonElement e, string path) => e.ValueKind switch
    {
        JsonValueKind.Number when e.TryGetInt64(out var n) => n,
        JsonValueKind.String when long.TryParse(e.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
        _ => throw Shape(path, $"{e.GetRawText()} is not a 64-bit integer"),
    };

    private static double Double(JsonElement e, string path) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String => e.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => throw Shape(path, $"{e.GetRawText()} is not a number"),
        },
        _ => throw Shape(path, $"{e.GetRawText()} is not a number"),
    };

    private static string String(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Shape(path, $"expected a string, got {e.GetRawText()}");

    private static IEnumerable<JsonElement> Array(JsonElement e, string path)
    {
        if (e.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        Expect(e, JsonValueKind.Array, path);
        return e.EnumerateArray();
    }

    private static JsonElement? Property(JsonElement e, string name, string? alternative = null)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (e.TryGetProperty(name, out var v) || (alternative is not null && e.TryGetProperty(alternative, out v)))
        {
            return v.ValueKind == JsonValueKind.Null ? null : v;
        }

        return null;
    }

    private static void Expect(JsonElement e, JsonValueKind kind, string path)
    {
        if (e.ValueKind != kind)
        {
            throw Shape(path, $"expected {(kind == JsonValueKind.Array ? "an array" : "an object")}, got {e.ValueKind.ToString().ToLowerInvariant()}");
        }
    }

    private static OtlpJsonFormatException Shape(string path, string message) => new($"{path}: {message}");

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
