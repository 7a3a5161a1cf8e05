package org.matrixauth.servlet;

import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.CrossOriginHandler;
import org.matrixauth.testing.WhoamiTestServlet;

/** Jetty's {@link CrossOriginHandler} wrapping the web application whose filter is {@link MatrixAuthFilter}. */
class JettyCrossOriginHandlerInFrontTest extends CorsFilterInFrontContract {
    private Server server;

    @Override
    int start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        FilterHolder filter = new FilterHolder(MatrixAuthFilter.class);
        filter.setInitParameters(filterParameters());
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new WhoamiTestServlet()), "/*");
        CrossOriginHandler cors = new CrossOriginHandler();
        cors.setAllowedOriginPatterns(Set.of("https://app\\.example"));
        cors.setAllowCredentials(true);
        cors.setAllowedHeaders(Set.of("Authorization", "Content-Type"));
        cors.setHandler(context);
        server.setHandler(cors);
        server.start();
        return connector.getLocalPort();
    }

    @Override
    void stop() throws Exception {
        server.stop();
    }
}
