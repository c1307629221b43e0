package lab.otelagent;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The OTEL_* environment the operator's webhook sets (spec: sdk-environment-variables). */
record AgentConfig(
    boolean disabled,
    String tracesEndpoint,
    String protocol,
    Map<String, String> headers,
    Map<String, Object> resource,
    Sampler sampler,
    long scheduleDelayMillis) {

    static AgentConfig fromEnvironment() {
        return from(System.getenv());
    }

    static AgentConfig from(Map<String, String> env) {
        boolean disabled = "true".equalsIgnoreCase(env.get("OTEL_SDK_DISABLED"))
            || "none".equalsIgnoreCase(env.get("OTEL_TRACES_EXPORTER"));
        String endpoint = env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        if (isBlank(endpoint)) {
            String base = orDefault(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"), "http://localhost:4318");
            endpoint = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/traces";
        }
        String protocol = orDefault(env.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"),
            orDefault(env.get("OTEL_EXPORTER_OTLP_PROTOCOL"), "http/protobuf"));

        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("telemetry.sdk.language", "java");
        resource.put("telemetry.sdk.name", "otel-lab-java-standin");
        resource.put("telemetry.sdk.version", "0.1.0");
        resource.putAll(parsePairs(env.get("OTEL_RESOURCE_ATTRIBUTES")));
        // OTEL_SERVICE_NAME wins over service.name in OTEL_RESOURCE_ATTRIBUTES (spec).
        String serviceName = env.get("OTEL_SERVICE_NAME");
        if (!isBlank(serviceName)) {
            resource.put("service.name", serviceName);
        }
        resource.putIfAbsent("service.name", "unknown_service:java");

        Sampler sampler = Sampler.from(env.get("OTEL_TRACES_SAMPLER"), env.get("OTEL_TRACES_SAMPLER_ARG"));
        // OTEL_BSP_SCHEDULE_DELAY: the batch span processor's export delay, 5000 ms by default (spec).
        long delay = parseMillis(env.get("OTEL_BSP_SCHEDULE_DELAY"), 5000);
        return new AgentConfig(disabled, endpoint, protocol, parsePairs(env.get("OTEL_EXPORTER_OTLP_HEADERS")), resource, sampler, delay);
    }

    /** A non-negative integer of milliseconds, else the default (the SDKs ignore an invalid value). */
    static long parseMillis(String value, long fallback) {
        if (isBlank(value)) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            return parsed < 0 ? fallback : parsed;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** "k1=v1,k2=v2" with percent-encoded values; malformed items are skipped (never fail the app). */
    static Map<String, String> parsePairs(String text) {
        Map<String, String> pairs = new LinkedHashMap<>();
        if (isBlank(text)) {
            return pairs;
        }
        for (String item : text.split(",")) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = item.substring(0, eq).trim();
            String value = item.substring(eq + 1).trim();
            try {
                value = URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                // keep the raw value
            }
            pairs.put(key, value);
        }
        return pairs;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String orDefault(String s, String fallback) {
        return isBlank(s) ? fallback : s.trim();
    }
}
