package lab.otelagent;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * OTLP/JSON (opentelemetry-proto docs/specification.md "JSON Protobuf Encoding"): lowerCamelCase field names,
 * trace/span ids as hex strings, enums as integers, 64-bit integers as strings.
 */
final class OtlpJson {
    private OtlpJson() {
    }

    static byte[] encode(Map<String, Object> resource, List<Span> spans) {
        StringBuilder sb = new StringBuilder(256 + spans.size() * 512);
        sb.append("{\"resourceSpans\":[{\"resource\":{\"attributes\":");
        attributes(sb, resource);
        sb.append("},\"scopeSpans\":[{\"scope\":{\"name\":\"otel-lab-java-standin\",\"version\":\"0.1.0\"},\"spans\":[");
        for (int i = 0; i < spans.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            span(sb, spans.get(i));
        }
        sb.append("]}]}]}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void span(StringBuilder sb, Span s) {
        sb.append("{\"traceId\":\"").append(s.context.traceId())
            .append("\",\"spanId\":\"").append(s.context.spanId()).append('"');
        if (!s.parentSpanId.isEmpty()) {
            sb.append(",\"parentSpanId\":\"").append(s.parentSpanId).append('"');
        }
        sb.append(",\"name\":");
        quote(sb, s.name);
        sb.append(",\"kind\":").append(s.kind)
            .append(",\"startTimeUnixNano\":\"").append(s.startNanos)
            .append("\",\"endTimeUnixNano\":\"").append(s.endNanos).append("\",\"attributes\":");
        attributes(sb, s.attributes);
        if (s.statusCode != Span.STATUS_UNSET) {
            sb.append(",\"status\":{\"code\":").append(s.statusCode);
            if (!s.statusMessage.isEmpty()) {
                sb.append(",\"message\":");
                quote(sb, s.statusMessage);
            }
            sb.append('}');
        }
        sb.append('}');
    }

    private static void attributes(StringBuilder sb, Map<String, ?> attributes) {
        sb.append('[');
        boolean first = true;
        for (Map.Entry<String, ?> a : attributes.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append("{\"key\":");
            quote(sb, a.getKey());
            sb.append(",\"value\":{");
            Object v = a.getValue();
            if (v instanceof Long l) {
                sb.append("\"intValue\":\"").append(l).append('"');
            } else if (v instanceof Boolean b) {
                sb.append("\"boolValue\":").append(b);
            } else {
                sb.append("\"stringValue\":");
                quote(sb, String.valueOf(v));
            }
            sb.append("}}");
        }
        sb.append(']');
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
