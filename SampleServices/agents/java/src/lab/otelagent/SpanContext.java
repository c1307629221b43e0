package lab.otelagent;

import java.util.concurrent.ThreadLocalRandom;

/** W3C trace context of one span (tracecontext propagator). */
record SpanContext(String traceId, String spanId, boolean sampled) {

    static String newTraceId() {
        return hex(ThreadLocalRandom.current().nextLong()) + hex(ThreadLocalRandom.current().nextLong());
    }

    static String newSpanId() {
        return hex(ThreadLocalRandom.current().nextLong());
    }

    String traceparent() {
        return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
    }

    /** Parses a traceparent header; null when absent or invalid (then the span is a root). */
    static SpanContext parse(String header) {
        if (header == null) {
            return null;
        }
        String[] parts = header.trim().split("-");
        if (parts.length < 4 || parts[1].length() != 32 || parts[2].length() != 16 || parts[3].length() != 2
            || parts[1].equals("0".repeat(32)) || parts[2].equals("0".repeat(16)) || "ff".equals(parts[0])) {
            return null;
        }
        try {
            int flags = Integer.parseInt(parts[3], 16);
            Long.parseUnsignedLong(parts[2], 16);
            return new SpanContext(parts[1].toLowerCase(), parts[2].toLowerCase(), (flags & 1) == 1);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String hex(long v) {
        String s = Long.toHexString(v);
        return "0".repeat(16 - s.length()) + s;
    }
}
