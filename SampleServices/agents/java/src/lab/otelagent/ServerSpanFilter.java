package lab.otelagent;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;

/** SERVER span around each exchange; parent from the W3C traceparent header (OTEL_PROPAGATORS=tracecontext). */
final class ServerSpanFilter extends Filter {
    private final Tracer tracer;

    ServerSpanFilter(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        if (tracer == null) {
            chain.doFilter(exchange);
            return;
        }
        SpanContext parent = SpanContext.parse(exchange.getRequestHeaders().getFirst("traceparent"));
        String method = exchange.getRequestMethod();
        // semconv: "{method} {route}"; the context path is the route the JDK server matched.
        String route = exchange.getHttpContext().getPath();
        Span span = tracer.start(parent, method + " " + route, Span.KIND_SERVER);
        span.attributes.put("http.request.method", method);
        span.attributes.put("url.path", exchange.getRequestURI().getPath());
        span.attributes.put("http.route", route);
        String host = exchange.getRequestHeaders().getFirst("Host");
        span.attributes.put("server.address", host != null ? host.replaceFirst(":\\d+$", "") : exchange.getLocalAddress().getHostString());
        span.attributes.put("server.port", (long) exchange.getLocalAddress().getPort());
        SpanContext previous = Tracer.makeCurrent(span.context);
        try {
            chain.doFilter(exchange);
        } catch (IOException | RuntimeException e) {
            span.statusCode = Span.STATUS_ERROR;
            span.statusMessage = e.getClass().getName();
            throw e;
        } finally {
            Tracer.restore(previous);
            int status = exchange.getResponseCode();
            if (status > 0) {
                span.attributes.put("http.response.status_code", (long) status);
            }
            // semconv: a SERVER span is an error for 5xx only.
            if (status >= 500) {
                span.statusCode = Span.STATUS_ERROR;
            }
            span.end();
        }
    }

    @Override
    public String description() {
        return "otel-lab server spans";
    }
}
