package lab.checkout;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sample "checkout" service: POST /checkout calls payments POST /pay.
 * Plain JDK (HttpServer + HttpURLConnection) so the -javaagent instruments it without code changes.
 * Knobs: PORT, BIND_ADDRESS, PAYMENTS_URL, ERROR_RATIO (0..1), ADDED_LATENCY_MS (every request),
 * SLOW_RATIO (0..1, per-request probability of an extra SLOW_LATENCY_MS, default 600 ms: over the guide's 500 ms
 * latency policy, so the lab's load can make slow traces as it makes error traces).
 */
public final class CheckoutService {
    private CheckoutService() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(env("PORT", "8080"));
        String bind = env("BIND_ADDRESS", "0.0.0.0");
        String paymentsUrl = env("PAYMENTS_URL", "http://payments:8080");
        double errorRatio = Double.parseDouble(env("ERROR_RATIO", "0"));
        long addedLatencyMs = Long.parseLong(env("ADDED_LATENCY_MS", "0"));
        double slowRatio = Double.parseDouble(env("SLOW_RATIO", "0"));
        long slowLatencyMs = Long.parseLong(env("SLOW_LATENCY_MS", "600"));

        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 0);
        server.createContext("/health", exchange -> respond(exchange, 200, "ok"));
        server.createContext("/checkout", exchange -> {
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "method not allowed");
                return;
            }
            sleep(addedLatencyMs);
            if (ThreadLocalRandom.current().nextDouble() < slowRatio) {
                sleep(slowLatencyMs);
            }
            int downstream = post(paymentsUrl + "/pay", "{\"amount\":42}");
            boolean injected = ThreadLocalRandom.current().nextDouble() < errorRatio;
            if (injected || downstream >= 500) {
                respond(exchange, 500, "{\"status\":\"failed\",\"payments\":" + downstream + "}");
            } else {
                respond(exchange, 200, "{\"status\":\"ok\",\"payments\":" + downstream + "}");
            }
        });
        // A thread per request: the default executor is one thread, so one slow request would delay every request
        // queued behind it and turn the slow ratio into slow everything.
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        System.out.println("checkout listening on " + bind + ":" + port);
    }

    private static int post(String url, String body) {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
            int status = connection.getResponseCode();
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            if (in != null) {
                in.readAllBytes();
                in.close();
            }
            return status;
        } catch (IOException e) {
            // A downstream that cannot be reached is reported as 502, like a gateway would.
            return 502;
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
