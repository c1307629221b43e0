package lab.otelagent;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;

/**
 * Opens the JDK's own connection (through the default handler) and wraps it with a CLIENT span.
 * An https URL yields a plain HttpURLConnection wrapper (a cast to HttpsURLConnection fails): enough for the lab.
 */
final class TracingUrlStreamHandler extends URLStreamHandler {
    private final URLStreamHandler jdkHandler;
    private final Tracer tracer;
    private final int defaultPort;

    TracingUrlStreamHandler(URLStreamHandler jdkHandler, Tracer tracer, int defaultPort) {
        this.jdkHandler = jdkHandler;
        this.tracer = tracer;
        this.defaultPort = defaultPort;
    }

    @Override
    protected URLConnection openConnection(URL url) throws IOException {
        return wrap(url, new URL(null, url.toExternalForm(), jdkHandler).openConnection());
    }

    @Override
    protected URLConnection openConnection(URL url, Proxy proxy) throws IOException {
        return wrap(url, new URL(null, url.toExternalForm(), jdkHandler).openConnection(proxy));
    }

    @Override
    protected int getDefaultPort() {
        return defaultPort;
    }

    private URLConnection wrap(URL url, URLConnection connection) {
        if (connection instanceof HttpURLConnection http) {
            return new TracingHttpUrlConnection(url, http, tracer);
        }
        return connection;
    }
}
