package lab.otelagent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLStreamHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Batches ended spans and POSTs them every second (and at JVM shutdown) to the OTLP/HTTP traces endpoint,
 * as protobuf (http/protobuf, the Java agent's default) or JSON (http/json).
 * Uses the JDK http handler directly so its own requests are not traced. Never throws into the app.
 */
final class SpanExporter {
    private static final int MAX_QUEUE = 2048;

    private final AgentConfig config;
    private final URLStreamHandler jdkHttpHandler;
    private final ConcurrentLinkedQueue<Span> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();

    SpanExporter(AgentConfig config, URLStreamHandler jdkHttpHandler) {
        this.config = config;
        this.jdkHttpHandler = jdkHttpHandler;
    }

    void start() {
        Thread flusher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                flush();
            }
        }, "otel-lab-span-exporter");
        flusher.setDaemon(true);
        flusher.start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::flush, "otel-lab-span-exporter-shutdown"));
    }

    void enqueue(Span span) {
        if (queued.incrementAndGet() > MAX_QUEUE) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        queue.add(span);
    }

    synchronized void flush() {
        List<Span> batch = new ArrayList<>();
        for (Span s; (s = queue.poll()) != null; ) {
            queued.decrementAndGet();
            batch.add(s);
        }
        if (batch.isEmpty()) {
            return;
        }
        boolean json = "http/json".equals(config.protocol());
        byte[] body = json ? OtlpJson.encode(config.resource(), batch) : OtlpProtobuf.encode(config.resource(), batch);
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(null, config.tracesEndpoint(), jdkHttpHandler).openConnection();
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setConnectTimeout(5000);
            connection.setReadTimeout(10000);
            connection.setRequestProperty("Content-Type", json ? "application/json" : "application/x-protobuf");
            for (Map.Entry<String, String> header : config.headers().entrySet()) {
                connection.setRequestProperty(header.getKey(), header.getValue());
            }
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            int status = connection.getResponseCode();
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            if (in != null) {
                in.readAllBytes();
                in.close();
            }
            if (status >= 300) {
                System.err.println("otel-lab agent: export of " + batch.size() + " spans got HTTP " + status);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("otel-lab agent: export of " + batch.size() + " spans failed: " + e);
        }
    }
}
