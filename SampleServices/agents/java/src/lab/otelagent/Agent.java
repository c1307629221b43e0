package lab.otelagent;

import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.net.URLStreamHandler;
import java.util.Map;
import java.util.Set;

/**
 * OTel Lab STAND-IN for the operator's autoinstrumentation-java image (upstream: the OpenTelemetry Java agent,
 * copied by the init container to /otel-auto-instrumentation-java-&lt;container&gt;/javaagent.jar and loaded through
 * JAVA_TOOL_OPTIONS=-javaagent:...). It honours the same env contract (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES,
 * OTEL_EXPORTER_OTLP_*, OTEL_TRACES_SAMPLER(_ARG), OTEL_PROPAGATORS=tracecontext) but instruments only the JDK's
 * com.sun.net.httpserver (SERVER spans) and HttpURLConnection (CLIENT spans), without bytecode rewriting:
 * an HttpServerProvider that adds a filter to every context, and a URLStreamHandlerFactory for http/https.
 */
public final class Agent {
    private Agent() {
    }

    /** Entry point named by Premain-Class. */
    public static void premain(String args, Instrumentation inst) {
        AgentConfig config = AgentConfig.fromEnvironment();
        if (config.disabled()) {
            return;
        }
        Module agentModule = Agent.class.getModule();
        // The JDK default providers live in non-exported packages; export them to this agent only.
        exportTo(inst, "jdk.httpserver", "sun.net.httpserver", agentModule);
        exportTo(inst, "java.base", "sun.net.www.protocol.http", agentModule);
        exportTo(inst, "java.base", "sun.net.www.protocol.https", agentModule);

        URLStreamHandler http = newInstance("sun.net.www.protocol.http.Handler");
        URLStreamHandler https = newInstance("sun.net.www.protocol.https.Handler");
        SpanExporter exporter = new SpanExporter(config, http);
        Tracer tracer = new Tracer(config, exporter);
        Tracer.install(tracer);

        System.setProperty("com.sun.net.httpserver.HttpServerProvider", TracingHttpServerProvider.class.getName());
        URL.setURLStreamHandlerFactory(protocol -> switch (protocol) {
            case "http" -> new TracingUrlStreamHandler(http, tracer, 80);
            case "https" -> new TracingUrlStreamHandler(https, tracer, 443);
            default -> null;
        });
        exporter.start();
    }

    private static void exportTo(Instrumentation inst, String moduleName, String pkg, Module to) {
        ModuleLayer.boot().findModule(moduleName).ifPresent(m ->
            inst.redefineModule(m, Set.of(), Map.of(pkg, Set.of(to)), Map.of(), Set.of(), Map.of()));
    }

    @SuppressWarnings("unchecked")
    static <T> T newInstance(String className) {
        try {
            return (T) Class.forName(className).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("otel-lab agent: cannot create " + className, e);
        }
    }
}
