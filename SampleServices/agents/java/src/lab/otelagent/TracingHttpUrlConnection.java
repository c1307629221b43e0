package lab.otelagent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ProtocolException;
import java.net.URL;
import java.util.List;
import java.util.Map;

/**
 * CLIENT span for one HttpURLConnection: started when the connection is opened (parent = the thread's current span),
 * traceparent injected then; ended when the response code is first known or the exchange fails.
 * Delegates the methods the sample services (and most simple callers) use.
 */
final class TracingHttpUrlConnection extends HttpURLConnection {
    private final HttpURLConnection delegate;
    private final Span span;

    TracingHttpUrlConnection(URL url, HttpURLConnection delegate, Tracer tracer) {
        super(url);
        this.delegate = delegate;
        this.span = tracer.start(Tracer.current(), "GET", Span.KIND_CLIENT);
        span.attributes.put("server.address", url.getHost());
        span.attributes.put("server.port", (long) (url.getPort() > 0 ? url.getPort() : url.getDefaultPort()));
        span.attributes.put("url.full", url.toExternalForm());
        span.attributes.put("url.path", url.getPath());
        delegate.setRequestProperty("traceparent", span.context.traceparent());
    }

    private void finish(int status, Throwable error) {
        String method = delegate.getRequestMethod();
        span.name = method; // semconv: a CLIENT span without a template is named by the method
        span.attributes.put("http.request.method", method);
        if (status > 0) {
            span.attributes.put("http.response.status_code", (long) status);
        }
        // semconv: a CLIENT span is an error for 4xx and 5xx, or when no response came back.
        if (status >= 400 || error != null) {
            span.statusCode = Span.STATUS_ERROR;
            if (error != null) {
                span.attributes.put("error.type", error.getClass().getName());
            }
        }
        span.end();
    }

    @Override
    public int getResponseCode() throws IOException {
        try {
            int status = delegate.getResponseCode();
            finish(status, null);
            return status;
        } catch (IOException | RuntimeException e) {
            finish(-1, e);
            throw e;
        }
    }

    @Override
    public InputStream getInputStream() throws IOException {
        try {
            InputStream in = delegate.getInputStream();
            finish(delegate.getResponseCode(), null);
            return in;
        } catch (IOException | RuntimeException e) {
            int status = -1;
            try {
                status = delegate.getResponseCode();
            } catch (IOException ignored) {
                // no response at all
            }
            finish(status, status > 0 ? null : e);
            throw e;
        }
    }

    @Override
    public void connect() throws IOException {
        delegate.connect();
    }

    @Override
    public void disconnect() {
        delegate.disconnect();
        span.end();
    }

    @Override
    public boolean usingProxy() {
        return delegate.usingProxy();
    }

    @Override
    public void setRequestMethod(String method) throws ProtocolException {
        delegate.setRequestMethod(method);
    }

    @Override
    public String getRequestMethod() {
        return delegate.getRequestMethod();
    }

    @Override
    public void setDoOutput(boolean doOutput) {
        delegate.setDoOutput(doOutput);
    }

    @Override
    public boolean getDoOutput() {
        return delegate.getDoOutput();
    }

    @Override
    public void setDoInput(boolean doInput) {
        delegate.setDoInput(doInput);
    }

    @Override
    public void setRequestProperty(String key, String value) {
        delegate.setRequestProperty(key, value);
    }

    @Override
    public void addRequestProperty(String key, String value) {
        delegate.addRequestProperty(key, value);
    }

    @Override
    public String getRequestProperty(String key) {
        return delegate.getRequestProperty(key);
    }

    @Override
    public Map<String, List<String>> getRequestProperties() {
        return delegate.getRequestProperties();
    }

    @Override
    public void setConnectTimeout(int timeout) {
        delegate.setConnectTimeout(timeout);
    }

    @Override
    public int getConnectTimeout() {
        return delegate.getConnectTimeout();
    }

    @Override
    public void setReadTimeout(int timeout) {
        delegate.setReadTimeout(timeout);
    }

    @Override
    public int getReadTimeout() {
        return delegate.getReadTimeout();
    }

    @Override
    public void setUseCaches(boolean useCaches) {
        delegate.setUseCaches(useCaches);
    }

    @Override
    public void setInstanceFollowRedirects(boolean follow) {
        delegate.setInstanceFollowRedirects(follow);
    }

    @Override
    public void setChunkedStreamingMode(int chunkLength) {
        delegate.setChunkedStreamingMode(chunkLength);
    }

    @Override
    public void setFixedLengthStreamingMode(int contentLength) {
        delegate.setFixedLengthStreamingMode(contentLength);
    }

    @Override
    public void setFixedLengthStreamingMode(long contentLength) {
        delegate.setFixedLengthStreamingMode(contentLength);
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        try {
            return delegate.getOutputStream();
        } catch (IOException | RuntimeException e) {
            finish(-1, e);
            throw e;
        }
    }

    @Override
    public InputStream getErrorStream() {
        return delegate.getErrorStream();
    }

    @Override
    public String getResponseMessage() throws IOException {
        return delegate.getResponseMessage();
    }

    @Override
    public String getHeaderField(String name) {
        return delegate.getHeaderField(name);
    }

    @Override
    public String getHeaderField(int n) {
        return delegate.getHeaderField(n);
    }

    @Override
    public String getHeaderFieldKey(int n) {
        return delegate.getHeaderFieldKey(n);
    }

    @Override
    public Map<String, List<String>> getHeaderFields() {
        return delegate.getHeaderFields();
    }

    @Override
    public String getContentType() {
        return delegate.getContentType();
    }

    @Override
    public long getContentLengthLong() {
        return delegate.getContentLengthLong();
    }
}
