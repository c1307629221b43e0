package lab.otelagent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.net.URLStreamHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Batches ended spans and POSTs them every OTEL_BSP_SCHEDULE_DELAY (and at JVM shutdown) to the OTLP/HTTP traces endpoint,
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
                    Thread.sleep(Math.max(1, config.scheduleDelayMillis()));
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
        String source = System.getenv("LAB_SOURCE_ADDRESS");
        if (source != null && !source.isEmpty() && config.tracesEndpoint().startsWith("http://")) {
            postFrom(source, body, json, batch.size());
            return;
        }
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

    /**
     * Lab-only: the same POST over a socket bound to the pod's address (LAB_SOURCE_ADDRESS, set by the lab's process
     * runtime), so the agent collector sees the pod IP as the connection source, as from a pod's network namespace.
     * The JDK's HttpURLConnection has no source-address option (java.net.http.HttpClient gains localAddress only in
     * JDK 19), hence HTTP/1.1 by hand. The application's own calls (checkout → payments) still leave from 127.0.0.1.
     */
    private void postFrom(String source, byte[] body, boolean json, int spans) {
        try {
            URL url = new URL(config.tracesEndpoint());
            int port = url.getPort() < 0 ? 80 : url.getPort();
            try (Socket socket = new Socket()) {
                socket.bind(new InetSocketAddress(source, 0));
                socket.connect(new InetSocketAddress(url.getHost(), port), 5000);
                socket.setSoTimeout(10000);
                StringBuilder head = new StringBuilder();
                head.append("POST ").append(url.getFile().isEmpty() ? "/" : url.getFile()).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(url.getHost()).append(':').append(port).append("\r\n")
                    .append("Content-Type: ").append(json ? "application/json" : "application/x-protobuf").append("\r\n")
                    .append("Content-Length: ").append(body.length).append("\r\n")
                    .append("Connection: close\r\n");
                for (Map.Entry<String, String> header : config.headers().entrySet()) {
                    head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
                }
                head.append("\r\n");
                OutputStream out = socket.getOutputStream();
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                String status = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1).split("\r\n", 2)[0];
                String[] parts = status.split(" ");
                int code = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
                if (code < 200 || code >= 300) {
                    System.err.println("otel-lab agent: export of " + spans + " spans got HTTP " + code);
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("otel-lab agent: export of " + spans + " spans failed: " + e);
        }
    }
}
