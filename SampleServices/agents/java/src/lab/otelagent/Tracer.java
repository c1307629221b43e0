package lab.otelagent;

import java.time.Instant;

/** Creates spans, holds the current span per thread (the JDK HttpServer runs a handler on one thread). */
final class Tracer {
    private static volatile Tracer installed;
    private static final ThreadLocal<SpanContext> CURRENT = new ThreadLocal<>();

    private final AgentConfig config;
    private final SpanExporter exporter;

    Tracer(AgentConfig config, SpanExporter exporter) {
        this.config = config;
        this.exporter = exporter;
    }

    static void install(Tracer tracer) {
        installed = tracer;
    }

    static Tracer get() {
        return installed;
    }

    static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    static SpanContext current() {
        return CURRENT.get();
    }

    static SpanContext makeCurrent(SpanContext context) {
        SpanContext previous = CURRENT.get();
        CURRENT.set(context);
        return previous;
    }

    static void restore(SpanContext previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    /** Starts a span as a child of parent (null: a new trace). */
    Span start(SpanContext parent, String name, int kind) {
        String traceId = parent != null ? parent.traceId() : SpanContext.newTraceId();
        boolean sampled = config.sampler().shouldSample(parent, traceId);
        SpanContext context = new SpanContext(traceId, SpanContext.newSpanId(), sampled);
        return new Span(this, context, parent != null ? parent.spanId() : "", name, kind);
    }

    void onEnd(Span span) {
        if (span.context.sampled()) {
            exporter.enqueue(span);
        }
    }
}
