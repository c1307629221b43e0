package lab.otelagent;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import com.sun.net.httpserver.spi.HttpServerProvider;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Named by the system property com.sun.net.httpserver.HttpServerProvider (set in premain), so HttpServer.create()
 * lands here: the JDK default server, wrapped so every context gets the SERVER-span filter.
 * HTTPS servers are returned unwrapped (the sample services do not use them).
 */
public final class TracingHttpServerProvider extends HttpServerProvider {
    private final HttpServerProvider delegate = Agent.newInstance("sun.net.httpserver.DefaultHttpServerProvider");

    @Override
    public HttpServer createHttpServer(InetSocketAddress addr, int backlog) throws IOException {
        return new TracingHttpServer(delegate.createHttpServer(addr, backlog), new ServerSpanFilter(Tracer.get()));
    }

    @Override
    public HttpsServer createHttpsServer(InetSocketAddress addr, int backlog) throws IOException {
        return delegate.createHttpsServer(addr, backlog);
    }
}
