package lab.otelagent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Hand-encoded ExportTraceServiceRequest (opentelemetry-proto collector/trace/v1, trace/v1, common/v1, resource/v1):
 * request{1: ResourceSpans}; ResourceSpans{1: Resource, 2: ScopeSpans}; Resource{1: KeyValue};
 * ScopeSpans{1: InstrumentationScope, 2: Span}; Span{1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 6 kind,
 * 7 start fixed64, 8 end fixed64, 9 attributes, 15 Status{2 message, 3 code}}; KeyValue{1 key, 2 AnyValue};
 * AnyValue{1 string, 2 bool, 3 int64, 4 double}.
 */
final class OtlpProtobuf {
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LEN = 2;

    private OtlpProtobuf() {
    }

    static byte[] encode(Map<String, Object> resource, List<Span> spans) {
        Writer scope = new Writer();
        scope.string(1, "otel-lab-java-standin");
        scope.string(2, "0.1.0");

        Writer scopeSpans = new Writer();
        scopeSpans.message(1, scope);
        for (Span span : spans) {
            scopeSpans.message(2, span(span));
        }

        Writer res = new Writer();
        attributes(res, 1, resource);

        Writer resourceSpans = new Writer();
        resourceSpans.message(1, res);
        resourceSpans.message(2, scopeSpans);

        Writer request = new Writer();
        request.message(1, resourceSpans);
        return request.toByteArray();
    }

    private static Writer span(Span span) {
        Writer w = new Writer();
        w.bytes(1, HexFormat.of().parseHex(span.context.traceId()));
        w.bytes(2, HexFormat.of().parseHex(span.context.spanId()));
        if (!span.parentSpanId.isEmpty()) {
            w.bytes(4, HexFormat.of().parseHex(span.parentSpanId));
        }
        w.string(5, span.name);
        w.tag(6, VARINT);
        w.varint(span.kind);
        w.tag(7, FIXED64);
        w.fixed64(span.startNanos);
        w.tag(8, FIXED64);
        w.fixed64(span.endNanos);
        attributes(w, 9, span.attributes);
        if (span.statusCode != Span.STATUS_UNSET) {
            Writer status = new Writer();
            if (!span.statusMessage.isEmpty()) {
                status.string(2, span.statusMessage);
            }
            status.tag(3, VARINT);
            status.varint(span.statusCode);
            w.message(15, status);
        }
        return w;
    }

    private static void attributes(Writer w, int field, Map<String, ?> attributes) {
        for (Map.Entry<String, ?> a : attributes.entrySet()) {
            Writer value = new Writer();
            Object v = a.getValue();
            if (v instanceof Long l) {
                value.tag(3, VARINT);
                value.varint(l);
            } else if (v instanceof Boolean b) {
                value.tag(2, VARINT);
                value.varint(b ? 1 : 0);
            } else {
                value.string(1, String.valueOf(v));
            }
            Writer kv = new Writer();
            kv.string(1, a.getKey());
            kv.message(2, value);
            w.message(field, kv);
        }
    }

    /** Minimal protobuf writer: varint, fixed64 (little endian), length-delimited. */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void tag(int field, int wireType) {
            varint(((long) field << 3) | wireType);
        }

        void varint(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
        }

        void fixed64(long value) {
            for (int i = 0; i < 8; i++) {
                out.write((int) (value >>> (8 * i)) & 0xFF);
            }
        }

        void bytes(int field, byte[] bytes) {
            tag(field, LEN);
            varint(bytes.length);
            out.writeBytes(bytes);
        }

        void string(int field, String s) {
            bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        void message(int field, Writer message) {
            bytes(field, message.toByteArray());
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
