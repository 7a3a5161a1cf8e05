package org.matrixauth.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
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
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.matrixauth.MatrixAuth;
import org.matrixauth.MatrixAuthInternals;
import org.matrixauth.auth.Requester;
import org.matrixauth.example.ClientApiServlet;
import org.matrixauth.servlet.MatrixAuthFilter;
import org.matrixauth.store.jdbi.SynapseDatabase;
import org.matrixauth.testing.OAuthServer;

/**
 * The HTTP benchmark's server: one Jetty, one connector. At "/" the example homeserver's web
 * application exactly as its WEB-INF/web.xml registers it (the filter in front of whoami); at
 * "/bare" the same whoami servlet with no filter, handed a fixed requester, in the same kind of
 * context (a WebAppContext: Jetty gives every web application a session and a security handler,
 * which cost a few microseconds per request whatever the filter does), so both are measured in
 * the same process and the same run; at "/plain" the same again in a bare ServletContextHandler
 * (no session or security handler), to show what the web application's own handlers cost.
 * "/bare/bench/stats" reports what the filter did: process CPU time, SQL statements on request
 * threads and on every thread, cache hits and misses, client-IP rows and flushes, the heap used
 * (after a full collection with {@code ?gc=1}).
 *
 * <p>With {@code oauth TOKEN_FILE}, authentication is delegated to a real OAuth 2.0 authorization
 * server (the tests' Spring Authorization Server, started here): the file receives a token it
 * issued for {@code @user0:bench}, which the filter introspects once and then serves from its cache.
 *
 * <pre>java -cp ... org.matrixauth.bench.LoadServer CONFIG_FILE PORT [oauth TOKEN_FILE]</pre>
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
        OAuthServer authorizationServer = args.length > 2 && args[2].equals("oauth") ? delegate(example) : null;

        WebAppContext bare = new WebAppContext();
        bare.setContextPath("/bare");
        bare.setBaseResource(ResourceFactory.of(server).newResource(Files.createTempDirectory("bare")));
        bare.setParentLoaderPriority(true);
        withoutFilter(bare);
        Stats stats = new Stats();
        bare.addServlet(new ServletHolder(stats), "/bench/stats");
        ServletContextHandler plain = new ServletContextHandler("/plain");
        withoutFilter(plain);

        ContextHandlerCollection contexts = new ContextHandlerCollection(example);
        server.setHandler(contexts);
        server.setStopAtShutdown(true);
        server.start();
        MatrixAuth auth = (MatrixAuth) example.getServletContext().getAttribute(MatrixAuthFilter.CONTEXT_ATTRIBUTE);
        // The bare whoamis find the homeserver as the filtered one does; only the filter is missing.
        // Their servlets look the homeserver up when they start, so they start once the example has.
        for (ServletContextHandler context : new ServletContextHandler[] {bare, plain}) {
            context.setAttribute(MatrixAuthFilter.CONTEXT_ATTRIBUTE, auth);
            contexts.addHandler(context);
            context.start();
        }
        stats.attach(auth);
        if (authorizationServer != null) {
            MatrixAuthInternals.jdbi(auth).useHandle(h -> h.execute(
                    "INSERT INTO devices (user_id, device_id, hidden) VALUES ('@user0:bench', 'OAUTHDEV', FALSE)"));
            Files.writeString(Path.of(args[3]), authorizationServer.issue("user0", "OAUTHDEV", Duration.ofHours(2),
                    "urn:matrix:client:api:*"));
        }
        System.out.println("READY " + connector.getLocalPort());
        server.join();
    }

    /** The whoami servlet behind a fixed requester: what the filter would have attached. */
    private static void withoutFilter(ServletContextHandler context) {
        Requester fixed = Requester.user("@bare:bench").accessTokenId(1L).deviceId("BAREDEV").build();
        Filter fixedRequester = (request, response, chain) -> {
            request.setAttribute(MatrixAuthFilter.REQUESTER_ATTRIBUTE, fixed);
            chain.doFilter(request, response);
        };
        context.addFilter(new FilterHolder(fixedRequester), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new ClientApiServlet()), "/_matrix/client/v3/*");
    }

    /** OAU-1: the example's filter delegates to a real authorization server, started here. */
    private static OAuthServer delegate(WebAppContext example) {
        String secret = "bench-mas-secret";
        OAuthServer authorizationServer = OAuthServer.start(secret);
        example.setInitParameter("matrix_auth.matrix_authentication_service.enabled", "true");
        example.setInitParameter("matrix_auth.matrix_authentication_service.endpoint",
                authorizationServer.endpoint().toString());
        example.setInitParameter("matrix_auth.matrix_authentication_service.secret", secret);
        return authorizationServer;
    }

    /**
     * GET: the counters as JSON; with {@code ?gc=1} a full collection first ({@link System#gc()}),
     * so heap_used_bytes is what stays reachable. POST: reset the request-thread statement counter.
     */
    static final class Stats extends HttpServlet {
        private final LongAdder requestThreadStatements = new LongAdder();
        /** Every statement through the library's JDBI, of request threads and background ones (client-IP flushes, MAU writes, pruning). */
        private final LongAdder allStatements = new LongAdder();
        private MatrixAuth auth;

        void attach(MatrixAuth auth) {
            this.auth = auth;
            count(MatrixAuthInternals.jdbi(auth), true);
            Jdbi background = backgroundJdbi(MatrixAuthInternals.database(auth));
            if (background != null && background != MatrixAuthInternals.jdbi(auth)) {
                count(background, false);
            }
        }

        /** Counts each statement, and passes every call on to the logger the library set (its OBS-5 watch). */
        private void count(Jdbi jdbi, boolean requestPool) {
            SqlLogger library = jdbi.getConfig(SqlStatements.class).getSqlLogger();
            jdbi.setSqlLogger(new SqlLogger() {
                @Override
                public void logBeforeExecution(StatementContext context) {
                    library.logBeforeExecution(context);
                }

                @Override
                public void logAfterExecution(StatementContext context) {
                    allStatements.increment();
                    if (requestPool && !Thread.currentThread().getName().startsWith("matrix-auth-filter")) {
                        requestThreadStatements.increment();
                    }
                    library.logAfterExecution(context);
                }

                @Override
                public void logException(StatementContext context, SQLException failure) {
                    library.logException(context, failure);
                }
            });
        }

        /** The pool of the library's background work (SynapseDatabase keeps it apart); bench code may look inside. */
        private static Jdbi backgroundJdbi(SynapseDatabase database) {
            try {
                Field field = SynapseDatabase.class.getDeclaredField("backgroundJdbi");
                field.setAccessible(true);
                return (Jdbi) field.get(database);
            } catch (ReflectiveOperationException | RuntimeException e) {
                System.err.println("background statements not counted: " + e);
                return null;
            }
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if ("1".equals(request.getParameter("gc"))) {
                System.gc();
            }
            var tokens = MatrixAuthInternals.caches(auth).byName().get("tokens").stats();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("request_thread_statements", requestThreadStatements.sum());
            body.put("all_statements", allStatements.sum());
            body.put("heap_used_bytes", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
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
