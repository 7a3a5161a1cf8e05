package org.matrixauth.testing;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.matrixauth.MatrixAuth;
import org.matrixauth.servlet.MatrixAuthFilter;
import org.matrixauth.servlet.MatrixAuthMetricsServlet;
import org.matrixauth.servlet.RouteRules;

/**
 * Embedded Jetty on a free port: one context per configuration, each with the real
 * {@link MatrixAuthFilter} (configured by init-params, as web.xml would) in front of
 * {@link WhoamiTestServlet}, and the metrics servlet at {@code /metrics}.
 */
public final class FilterServer implements RunningServer {
    private final Server server = new Server();
    private final List<ServletContextHandler> contexts = new ArrayList<>();
    private final HttpConfiguration http = new HttpConfiguration();

    public FilterServer context(String contextPath, Map<String, String> initParams) {
        FilterHolder filter = new FilterHolder(MatrixAuthFilter.class);
        filter.setInitParameters(initParams);
        return context(contextPath, filter);
    }

    /** A context whose filter uses a {@link MatrixAuth} built in code (which the caller closes). */
    public FilterServer context(String contextPath, MatrixAuth auth, RouteRules routes) {
        return context(contextPath, new FilterHolder(new MatrixAuthFilter(auth, routes)));
    }

    /**
     * A context with the test's own filters in this order (a container's own filter or
     * instrumentation in front of the filter, say) and servlet, all of them async-capable.
     */
    public FilterServer context(String contextPath, List<Filter> filters, Servlet servlet) {
        ServletContextHandler context = new ServletContextHandler(contextPath);
        for (Filter filter : filters) {
            FilterHolder holder = new FilterHolder(filter);
            holder.setAsyncSupported(true);
            context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/*");
        contexts.add(context);
        return this;
    }

    private FilterServer context(String contextPath, FilterHolder filter) {
        ServletContextHandler context = new ServletContextHandler(contextPath);
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new WhoamiTestServlet()), "/*");
        context.addServlet(new ServletHolder(new MatrixAuthMetricsServlet()), "/metrics");
        contexts.add(context);
        return this;
    }

    /** Admits request lines and headers up to this size (Jetty's default is 8 KiB). */
    public FilterServer requestHeaderSize(int bytes) {
        http.setRequestHeaderSize(bytes);
        return this;
    }

    public FilterServer start() throws Exception {
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setPort(0); // every address, IPv4 and IPv6 loopback alike
        server.addConnector(connector);
        server.setHandler(new ContextHandlerCollection(contexts.toArray(ServletContextHandler[]::new)));
        server.start();
        return this;
    }

    /** The filter's own {@link MatrixAuth} in the context at this path (published by the filter). */
    public MatrixAuth auth(String contextPath) {
        for (ServletContextHandler context : contexts) {
            if (context.getContextPath().equals(contextPath)) {
                return (MatrixAuth) context.getServletContext().getAttribute(MatrixAuthFilter.CONTEXT_ATTRIBUTE);
            }
        }
        throw new IllegalArgumentException("no context " + contextPath);
    }

    @Override
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** Stops Jetty, which destroys the filters (and so flushes their client IPs); again is harmless. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
