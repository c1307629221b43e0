package lab.otelagent;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;

/** Delegates to the JDK server; only createContext differs: it adds the SERVER-span filter first. */
final class TracingHttpServer extends HttpServer {
    private final HttpServer delegate;
    private final ServerSpanFilter filter;

    TracingHttpServer(HttpServer delegate, ServerSpanFilter filter) {
        this.delegate = delegate;
        this.filter = filter;
    }

    @Override
    public HttpContext createContext(String path, HttpHandler handler) {
        return traced(delegate.createContext(path, handler));
    }

    @Override
    public HttpContext createContext(String path) {
        return traced(delegate.createContext(path));
    }

    private HttpContext traced(HttpContext context) {
        context.getFilters().add(0, filter);
        return context;
    }

    @Override
    public void bind(InetSocketAddress addr, int backlog) throws IOException {
        delegate.bind(addr, backlog);
    }

    @Override
    public void start() {
        delegate.start();
    }

    @Override
    public void setExecutor(Executor executor) {
        delegate.setExecutor(executor);
    }

    @Override
    public Executor getExecutor() {
        return delegate.getExecutor();
    }

    @Override
    public void stop(int delay) {
        delegate.stop(delay);
    }

    @Override
    public void removeContext(String path) {
        delegate.removeContext(path);
    }

    @Override
    public void removeContext(HttpContext context) {
        delegate.removeContext(context);
    }

    @Override
    public InetSocketAddress getAddress() {
        return delegate.getAddress();
    }
}
