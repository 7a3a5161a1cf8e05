package org.matrixauth.observe;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.util.List;
import org.matrixauth.servlet.MatrixAuthFilter;
import org.matrixauth.testing.FilterServer;

/** OBS-1 on embedded Jetty. */
class JettyLogContextTest extends LogContextContract {
    private FilterServer server;

    @Override
    int start(Filter inFront, MatrixAuthFilter filter, HttpServlet servlet) throws Exception {
        server = new FilterServer().context("/", List.of(inFront, filter), servlet).start();
        return server.port();
    }

    @Override
    void stop() {
        server.close();
    }
}
