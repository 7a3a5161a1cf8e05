package org.matrixauth.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.matrixauth.MatrixAuth;
import org.matrixauth.MatrixAuthInternals;
import org.matrixauth.auth.Requester;
import org.matrixauth.example.ClientApiServlet;
import org.matrixauth.servlet.MatrixAuthFilter;

/**
 * The HTTP benchmark's server: one Jetty, one connector. At "/" the example homeserver's web
 * application exactly as its WEB-INF/web.xml registers it (the filter in front of whoami); at
 * "/bare" the same whoami servlet with no filter, handed a fixed requester, so both are measured
 * in the same process and the same run. "/bare/bench/stats" reports what the filter did: SQL
 * statements on request threads, cache hits and misses, client-IP rows and flushes.
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

        WebAppContext example = new WebAppContext();
        example.setContextPath("/");
        example.setBaseResource(ResourceFactory.of(server).newClassLoaderResource("webapp"));
        example.setParentLoaderPriority(true);
        example.setInitParameter("matrix_auth.config_file", args[0]);
        example.setThrowUnavailableOnStartupException(true);

        ServletContextHandler bare = new ServletContextHandler("/bare");
        Requester fixed = Requester.user("@bare:bench").accessTokenId(1L).deviceId("BAREDEV").build();
        Filter fixedRequester = (request, response, chain) -> {
            request.setAttribute(MatrixAuthFilter.REQUESTER_ATTRIBUTE, fixed);
            chain.doFilter(request, response);
        };
        bare.addFilter(new FilterHolder(fixedRequester), "/*", EnumSet.of(DispatcherType.REQUEST));
        bare.addServlet(new ServletHolder(new ClientApiServlet()), "/_matrix/client/v3/*");
        Stats stats = new Stats();
        bare.addServlet(new ServletHolder(stats), "/bench/stats");

        ContextHandlerCollection contexts = new ContextHandlerCollection(example);
        server.setHandler(contexts);
        server.setStopAtShutdown(true);
        server.start();
        MatrixAuth auth = (MatrixAuth) example.getServletContext().getAttribute(MatrixAuthFilter.CONTEXT_ATTRIBUTE);
        // The bare whoami finds the homeserver as the filtered one does; only the filter is missing.
        // Its servlets look the homeserver up when they start, so it starts once the example has.
        bare.setAttribute(MatrixAuthFilter.CONTEXT_ATTRIBUTE, auth);
        contexts.addHandler(bare);
        bare.start();
        stats.attach(auth);
        System.out.println("READY " + connector.getLocalPort());
        server.join();
    }

    /** GET: the counters as JSON. POST: reset the statement counter. */
    static final class Stats extends HttpServlet {
        private final LongAdder requestThreadStatements = new LongAdder();
        private MatrixAuth auth;

        void attach(MatrixAuth auth) {
            this.auth = auth;
            MatrixAuthInternals.jdbi(auth).setSqlLogger(new SqlLogger() {
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
            var tokens = MatrixAuthInternals.caches(auth).byName().get("tokens").stats();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("request_thread_statements", requestThreadStatements.sum());
            // The steady figure (issue 17): the server process's CPU time, divided by the requests a run served.
            body.put("process_cpu_ns", ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime());
            body.put("token_cache_hits", tokens.hitCount());
            body.put("token_cache_misses", tokens.missCount());
            body.put("token_cache_size", MatrixAuthInternals.caches(auth).byName().get("tokens").estimatedSize());
            body.put("client_ip_written_rows", MatrixAuthInternals.clientIps(auth).writtenRows());
            body.put("client_ip_flushes", MatrixAuthInternals.clientIps(auth).flushes());
            body.put("client_ip_pending_rows", MatrixAuthInternals.clientIps(auth).pendingRows());
            body.put("client_ip_dropped_rows", MatrixAuthInternals.clientIps(auth).droppedRows());
            body.put("change_notifications", MatrixAuthInternals.caches(auth).notified());
            response.setContentType("application/json");
            JSON.writeValue(response.getOutputStream(), body);
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) {
            requestThreadStatements.reset();
            response.setStatus(204);
        }
    }
}
