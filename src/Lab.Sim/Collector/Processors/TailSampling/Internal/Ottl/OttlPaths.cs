using System.Globalization;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal.Ottl;

/// <summary>
/// The OTTL paths the lab resolves, per pkg/ottl contexts ottlspan and ottlspanevent (with the optional context prefix
/// <c>span.</c> / <c>spanevent.</c>, and <c>scope.</c> for <c>instrumentation_scope.</c>). Anything else is refused
/// when the policy is built, naming the path.
/// </summary>
internal static class OttlPaths
{
    public const string SupportedSpanPaths =
        "name, kind, status.code, status.message, attributes[...], resource.attributes[...], trace_state, trace_state[\"key\"], "
        + "trace_id.string, span_id.string, parent_span_id.string, start_time_unix_nano, end_time_unix_nano, flags, "
        + "instrumentation_scope.name, instrumentation_scope.version";

    public const string SupportedSpanEventPaths = "name, time_unix_nano, attributes[...], span.<span path>, resource.attributes[...], instrumentation_scope.name/version";

    public static Func<OttlContext, OttlValue> Resolve(IReadOnlyList<string> segments, IReadOnlyList<object> keys, bool spanEvent, int position)
    {
        var path = string.Join('.', segments);
        var rest = segments;
        if (spanEvent)
        {
            if (rest[0] == "spanevent")
            {
                rest = [.. rest.Skip(1)];
            }
            else if (rest[0] == "span" && rest.Count > 1)
            {
                return SpanPath([.. rest.Skip(1)], keys, path, position);
            }

            var ownGetter = EventPath(rest, keys);
            if (ownGetter is not null)
            {
                return ownGetter;
            }

            if (rest[0] is not ("resource" or "instrumentation_scope" or "scope"))
            {
                throw OttlSyntaxException.NotEmulated(
                    $"path \"{path}\" is not one the lab emulates in the spanevent context (supported: {SupportedSpanEventPaths})", position);
            }
        }
        else if (rest[0] == "span" && rest.Count > 1)
        {
            rest = [.. rest.Skip(1)];
        }

        return SpanPath(rest, keys, path, position, spanEvent);
    }

    private static Func<OttlContext, OttlValue>? EventPath(IReadOnlyList<string> segments, IReadOnlyList<object> keys) =>
        (string.Join('.', segments), keys.Count) switch
        {
            ("name", 0) => c => OttlValue.Of(c.Event!.Name),
            ("time_unix_nano", 0) => c => OttlValue.Of(unchecked((long)c.Event!.TimeUnixNano)),
            ("attributes", > 0) => c => Index(c.Event!.Attributes, keys),
            _ => null,
        };

    private static Func<OttlContext, OttlValue> SpanPath(IReadOnlyList<string> segments, IReadOnlyList<object> keys, string path, int position, bool spanEvent = false)
    {
        Func<OttlContext, OttlValue>? getter = (string.Join('.', segments), keys.Count) switch
        {
            ("name", 0) => c => OttlValue.Of(c.Span.Name),
            ("kind", 0) => c => OttlValue.Of((long)c.Span.Kind),
            ("status.code", 0) => c => OttlValue.Of((long)c.Span.Status),
            ("status.message", 0) => c => OttlValue.Of(c.Span.StatusMessage),
            ("attributes", > 0) => c => Index(c.Span.Attributes, keys),
            ("resource.attributes", > 0) => c => Index(c.Span.Resource.Attributes, keys),
            ("instrumentation_scope.name" or "scope.name", 0) => c => OttlValue.Of(c.Span.ScopeName),
            ("instrumentation_scope.version" or "scope.version", 0) => c => OttlValue.Of(c.Span.ScopeVersion),
            ("trace_state", 0) => c => OttlValue.Of(c.Span.TraceState),
            ("trace_state", 1) when keys[0] is string key => c => TraceStateKey(c.Span.TraceState, key),
            ("trace_id.string", 0) => c => OttlValue.Of(c.Span.TraceId.ToString()),
            ("span_id.string", 0) => c => OttlValue.Of(SpanIdHex(c.Span.SpanId)),
            ("parent_span_id.string", 0) => c => OttlValue.Of(SpanIdHex(c.Span.ParentSpanId)),
            ("start_time_unix_nano", 0) => c => OttlValue.Of(unchecked((long)c.Span.StartTimeUnixNano)),
            ("end_time_unix_nano", 0) => c => OttlValue.Of(unchecked((long)c.Span.EndTimeUnixNano)),
            ("flags", 0) => c => OttlValue.Of((long)c.Span.Flags),
            _ => null,
        };
        return getter ?? throw OttlSyntaxException.NotEmulated(
            $"path \"{path}{string.Concat(keys.Select(k => k is string s ? $"[\"{s}\"]" : $"[{k}]"))}\" is not one the lab emulates in the {(spanEvent ? "spanevent" : "span")} context (supported: {(spanEvent ? SupportedSpanEventPaths : SupportedSpanPaths)})",
            position);
    }

    // ottlcommon getIndexableValue: a missing key is nil; a string key on a non-map (or an int key on a non-slice) is an error.
    private static OttlValue Index(IReadOnlyDictionary<string, AttributeValue> attributes, IReadOnlyList<object> keys)
    {
        if (keys[0] is not string first)
        {
            throw new OttlEvaluationException("non-string indexing is not supported");
        }

        if (!attributes.TryGetValue(first, out var value))
        {
            return OttlValue.Nil;
        }

        foreach (var key in keys.Skip(1))
        {
            switch (key)
            {
                case string s when value.Kind == AttributeValueKind.Map:
                    if (!value.Map.TryGetValue(s, out value))
                    {
                        return OttlValue.Nil;
                    }

                    break;
                case long i when value.Kind == AttributeValueKind.Array:
                    if (i < 0 || i >= value.Array.Count)
                    {
                        throw new OttlEvaluationException($"index {i} out of bounds");
                    }

                    value = value.Array[(int)i];
                    break;
                default:
                    throw new OttlEvaluationException($"type {value.Kind} does not support {(key is string ? "string" : "int")} indexing");
            }
        }

        return OttlValue.Of(value);
    }

    // ottlcommon: an unparsable tracestate reads as nil, a missing key as "".
    private static OttlValue TraceStateKey(string header, string key) =>
        W3CTraceState.TryGet(header, key, out var value) ? OttlValue.Of(value) : OttlValue.Nil;

    private static string SpanIdHex(ulong id) => id.ToString("x16", CultureInfo.InvariantCulture);
}
