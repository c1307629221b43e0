package lab.otelagent;

import java.util.LinkedHashMap;
import java.util.Map;

/** One span being recorded; ended once. Kinds use the OTLP enum numbers (2 SERVER, 3 CLIENT). */
final class Span {
    static final int KIND_SERVER = 2;
    static final int KIND_CLIENT = 3;
    static final int STATUS_UNSET = 0;
    static final int STATUS_ERROR = 2;

    final SpanContext context;
    final String parentSpanId;
    final int kind;
    final long startNanos;
    final Map<String, Object> attributes = new LinkedHashMap<>();
    String name;
    long endNanos;
    int statusCode = STATUS_UNSET;
    String statusMessage = "";
    private final Tracer tracer;
    private boolean ended;

    Span(Tracer tracer, SpanContext context, String parentSpanId, String name, int kind) {
        this.tracer = tracer;
        this.context = context;
        this.parentSpanId = parentSpanId;
        this.name = name;
        this.kind = kind;
        this.startNanos = Tracer.nowNanos();
    }

    void end() {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        endNanos = Tracer.nowNanos();
        tracer.onEnd(this);
    }
}
