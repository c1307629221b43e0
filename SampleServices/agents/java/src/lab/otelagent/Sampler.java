package lab.otelagent;

/** OTEL_TRACES_SAMPLER: always_on, always_off, traceidratio and their parentbased_* forms (default parentbased_always_on). */
record Sampler(boolean parentBased, double ratio) {

    static Sampler from(String name, String arg) {
        String n = name == null || name.isBlank() ? "parentbased_always_on" : name.trim().toLowerCase();
        boolean parentBased = n.startsWith("parentbased_");
        String root = parentBased ? n.substring("parentbased_".length()) : n;
        double ratio = switch (root) {
            case "always_off" -> 0.0;
            case "traceidratio" -> parseRatio(arg);
            default -> 1.0;
        };
        return new Sampler(parentBased, ratio);
    }

    /** Decision for a new span; parent may be null (root). */
    boolean shouldSample(SpanContext parent, String traceId) {
        if (parentBased && parent != null) {
            return parent.sampled();
        }
        if (ratio >= 1.0) {
            return true;
        }
        if (ratio <= 0.0) {
            return false;
        }
        // upstream Java TraceIdRatioBasedSampler: compares the low 8 bytes of the trace id with ratio * Long.MAX_VALUE.
        long bound = (long) (ratio * Long.MAX_VALUE);
        long random = Long.parseUnsignedLong(traceId.substring(16), 16);
        return Math.abs(random) < bound;
    }

    private static double parseRatio(String arg) {
        try {
            double r = Double.parseDouble(arg);
            return r < 0 || r > 1 ? 1.0 : r;
        } catch (NumberFormatException | NullPointerException e) {
            return 1.0;
        }
    }
}
