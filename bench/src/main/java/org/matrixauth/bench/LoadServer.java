package org.matrixauth.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.matrixauth.MatrixAuth;
import org.matrixauth.auth.Requester;
import org.matrixauth.servlet.MatrixAuthFilter;
import org.matrixauth.servlet.RouteRules;

/**
 * The HTTP benchmark's server: one Jetty, one connector, two contexts serving the same whoami
 * servlet, "/" behind the real filter (configured from a homeserver.yaml) and "/bare" without it,
 * so both are measured in the same process and the same run. "/bench/stats" reports what the
 * filter did: SQL statements on request threads, cache hits and misses, client-IP rows and flushes.
 *
 * <pre>java -cp ... org.matrixauth.bench.LoadServer CONFIG_FILE PORT</pre>
 */
public final class LoadServer {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(Integer.parseInt(args[1]));
        server.addConnector(connector);

        ServletContextHandler filtered = new ServletContextHandler("/");
        FilterHolder filter = new FilterHolder(MatrixAuthFilter.class);
        filter.setInitParameter("config_file", args[0]);
        filter.setInitParameter(RouteRules.INIT_PARAM, "/_matrix/client/*/account/whoami guest\n/bench/** public");
        filtered.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        filtered.addServlet(new ServletHolder(new WhoamiServlet()), "/_matrix/client/v3/account/whoami");
        Stats stats = new Stats();
        filtered.addServlet(new ServletHolder(stats), "/bench/stats");

        ServletContextHandler bare = new ServletContextHandler("/bare");
        bare.addServlet(new ServletHolder(new WhoamiServlet()), "/_matrix/client/v3/account/whoami");

        server.setHandler(new ContextHandlerCollection(filtered, bare));
        server.setStopAtShutdown(true);
        server.start();
        stats.attach((MatrixAuth) filtered.getServletContext().getAttribute(MatrixAuthFilter.CONTEXT_ATTRIBUTE));
        System.out.println("READY " + connector.getLocalPort());
        server.join();
    }

    /** The example's whoami answer; without the filter, for a fixed user. */
    static final class WhoamiServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Requester requester = (Requester) request.getAttribute(MatrixAuthFilter.REQUESTER_ATTRIBUTE);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("user_id", requester == null ? "@bare:bench" : requester.userId());
            if (requester != null && requester.deviceId() != null) {
                body.put("device_id", requester.deviceId());
            }
            boolean guest = requester != null && requester.isGuest();
            body.put("is_guest", guest);
            body.put("org.matrix.msc3069.is_guest", guest);
            response.setContentType("application/json");
            JSON.writeValue(response.getOutputStream(), body);
        }
    }

    /** GET: the counters as JSON. POST: reset the statement counter. */
    static final class Stats extends HttpServlet {
        private final LongAdder requestThreadStatements = new LongAdder();
        private final AtomicLong since = new AtomicLong(System.currentTimeMillis());
        private MatrixAuth auth;

        void attach(MatrixAuth auth) {
            this.auth = auth;
            auth.database().jdbi().setSqlLogger(new SqlLogger() {
                @Override
                public void logAfterExecution(StatementContext context) {
                    if (!Thread.currentThread().getName().startsWith("matrix-auth-filter")) {
                        requestThreadStatements.increment();
                    }
                }
            });
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            var tokens = auth.caches().byName().get("tokens").stats();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("request_thread_statements", requestThreadStatements.sum());
            body.put("token_cache_hits", tokens.hitCount());
            body.put("token_cache_misses", tokens.missCount());
            body.put("token_cache_size", auth.caches().byName().get("tokens").estimatedSize());
            body.put("client_ip_written_rows", auth.clientIps().writtenRows());
            body.put("client_ip_flushes", auth.clientIps().flushes());
            body.put("client_ip_pending_rows", auth.clientIps().pendingRows());
            body.put("client_ip_dropped_rows", auth.clientIps().droppedRows());
            body.put("change_notifications", auth.caches().notified());
            body.put("since_ms", since.get());
            response.setContentType("application/json");
            JSON.writeValue(response.getOutputStream(), body);
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) {
            requestThreadStatements.reset();
            since.set(System.currentTimeMillis());
            response.setStatus(204);
        }
    }
}
