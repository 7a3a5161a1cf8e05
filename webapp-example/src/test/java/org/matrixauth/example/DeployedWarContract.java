package org.matrixauth.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.matrixauth.store.jdbi.SynapseDatabase;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.TestDatabase;

/**
 * The built war in a servlet container, deployed as a deployer would: its WEB-INF/web.xml
 * registers the filter with init-params (the config file inside the war, the route rules), and
 * the container's context parameters override single keys. Every container answers this request
 * matrix alike; a subclass only deploys the war on its container and undeploys it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DeployedWarContract {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String UNRECOGNIZED = "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}";
    /** An admin beside alice in the first deployment, for the admin API's "login as user" (OBS-4). */
    private static final String ADMIN = "@root:example.test";
    private static final String ADMIN_TOKEN = "root_secret_token";
    private static final Pattern PUPPET_REQUESTS =
            Pattern.compile("(?m)^matrix_auth_acting_as_requests_total\\{kind=\"puppet_token\"} (\\S+)$");
    private static final Pattern PENDING_ROWS = Pattern.compile("(?m)^matrix_auth_client_ip_pending_rows (\\S+)$");

    /** The built war, unchanged. */
    static final Path WAR = Path.of(System.getProperty("example.war"));

    /** The war deployed on one container: started, at the root context, on a free port. */
    interface Deployment extends AutoCloseable {
        int port();

        /** Takes the web application out of the running container, as a deployer's undeploy does. */
        void undeploy() throws Exception;

        /** Stops the container (and the web application with it, if still deployed). */
        @Override
        void close() throws Exception;
    }

    /** Which column of {@link ContainerEdgeCases} this container answers. */
    abstract ContainerEdgeCases.Container container();

    /**
     * Deploys {@link #WAR} with these servlet-context parameters, set where the container's
     * deployer sets them, the container's working files under {@code workDir}.
     *
     * @throws NotStarted when the container refused to start the web application (and is stopped again)
     */
    abstract Deployment deploy(Path workDir, Map<String, String> contextParameters) throws Exception;

    /** The container is up but the web application failed to start in it. */
    static final class NotStarted extends Exception {
        NotStarted() {
            super("the web application did not start");
        }
    }

    @TempDir
    static Path dir;

    Deployment deployment;

    @BeforeAll
    void deployOnH2() throws Exception {
        assertTrue(Files.isRegularFile(WAR), "the war is built before this test: " + WAR);
        // A file database in server mode, so this test and the web application (each with its own H2 classes) share it.
        String url = "jdbc:h2:file:" + dir.resolve("homeserver") + ";AUTO_SERVER=TRUE";
        seedAlice(url, "example.test", false);
        seedUser(url, ADMIN, true, 2, "ROOTDEV", ADMIN_TOKEN);
        deployment = deploy(dir.resolve("container"), Map.of("matrix_auth.database", url,
                "matrix_auth.server_name", "example.test"));
    }

    @AfterAll
    void stopContainer() throws Exception {
        if (deployment != null) {
            deployment.close();
        }
    }

    /**
     * WEB-1: a browser's preflight on any path, served or not, is answered before routing and before
     * authentication (web.xml's first filter), as Synapse answers it. The request carries no token.
     */
    @ParameterizedTest(name = "WEB-1: OPTIONS {0}")
    @ValueSource(strings = {"/_matrix/client/versions", "/_matrix/client/v3/login", "/_matrix/client/v3/register",
            "/_matrix/client/v3/account/whoami", "/_matrix/client/v3/logout", "/_matrix/client/r0/logout/all",
            "/_matrix/client/v1/auth_metadata", "/_synapse/admin/v1/register", "/_synapse/admin/v2/users/@alice:example.test",
            "/_matrix/client/v3/nothing", "/"})
    void web1APreflightOnAnyPathIs204WithSynapsesCorsHeaders(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + deployment.port() + path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://client.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type").build(), HttpResponse.BodyHandlers.ofString());
        BrowserAnswers.assertPreflightAnswered(response, path);
    }

    /** One answer of each status a browser meets, and the deployment that gives it. */
    record StatusCase(int status, String method, String path, String token, String deployment) {
        @Override
        public String toString() {
            return status + " " + method + " " + path + (token == null ? "" : " with " + token) + " (" + deployment + ")";
        }
    }

    static List<StatusCase> statusCases() {
        return List.of(
                new StatusCase(200, "GET", "/_matrix/client/versions", null, "default"),
                new StatusCase(200, "GET", "/_matrix/client/v3/account/whoami", "alice_token", "default"),
                new StatusCase(401, "GET", "/_matrix/client/v3/account/whoami", null, "default"),
                new StatusCase(401, "GET", "/_matrix/client/v3/account/whoami", "bogus", "default"),
                new StatusCase(403, "GET", "/_synapse/admin/v2/users/@alice:example.test", "alice_token", "default"),
                new StatusCase(404, "GET", "/_matrix/client/v3/nothing", null, "default"),
                new StatusCase(404, "GET", "/index.jsp", null, "default"),
                new StatusCase(405, "DELETE", "/_matrix/client/versions", null, "default"),
                // rc_failed_token_checks.burst_count 1: the first unknown token is checked, the second is not.
                new StatusCase(401, "GET", "/_matrix/client/v3/account/whoami", "guess_1", "limited"),
                new StatusCase(429, "GET", "/_matrix/client/v3/account/whoami", "guess_2", "limited"),
                // Delegated to an authorization server that does not answer (OAU-2).
                new StatusCase(503, "GET", "/_matrix/client/v3/account/whoami", "some_token", "delegated"));
    }

    /**
     * WEB-2, WEB-3: every answer a browser meets, the endpoints' and the refusals of the filter and of
     * the web application's error handling, carries Synapse's CORS headers and, being JSON, its
     * Cache-Control. Run in order: the limited deployment's 429 follows its 401.
     */
    @ParameterizedTest(name = "WEB-2, WEB-3: {0}")
    @MethodSource("statusCases")
    void web2Web3EveryAnswerCarriesSynapsesCorsHeadersAndCacheControl(StatusCase c) throws Exception {
        Deployment to = switch (c.deployment()) {
            case "limited" -> limited();
            case "delegated" -> delegated();
            default -> deployment;
        };
        HttpResponse<String> response = send(to, c.method(), c.path(), c.token());
        assertEquals(c.status(), response.statusCode(), c + ": " + response.body());
        BrowserAnswers.assertSynapseJson(response, c.toString());
    }

    private Deployment limited;
    private Deployment delegated;

    /** The war limiting failed token checks to one per address (FLOOD-1), on a database of its own. */
    private Deployment limited() throws Exception {
        if (limited == null) {
            limited = deploy(dir.resolve("limited"), Map.of("matrix_auth.database", "jdbc:h2:mem:limited",
                    "matrix_auth.server_name", "example.test",
                    "matrix_auth.rc_failed_token_checks.burst_count", "1",
                    "matrix_auth.rc_failed_token_checks.per_second", "0.001"));
        }
        return limited;
    }

    /** The war delegating authentication to an authorization server at a port where nothing listens. */
    private Deployment delegated() throws Exception {
        if (delegated == null) {
            int closed;
            try (ServerSocket free = new ServerSocket(0)) {
                closed = free.getLocalPort();
            }
            delegated = deploy(dir.resolve("delegated"), Map.of("matrix_auth.database", "jdbc:h2:mem:delegated",
                    "matrix_auth.server_name", "example.test",
                    "matrix_auth.matrix_authentication_service.enabled", "true",
                    "matrix_auth.matrix_authentication_service.endpoint", "http://127.0.0.1:" + closed + "/",
                    "matrix_auth.matrix_authentication_service.secret", "shared-secret-for-tests"));
        }
        return delegated;
    }

    @AfterAll
    void stopOtherDeployments() throws Exception {
        for (Deployment other : new Deployment[] {limited, delegated}) {
            if (other != null) {
                other.close();
            }
        }
    }

    /** {@code @alice:<serverName>} with the token {@code alice_token} on device ALICEDEV. */
    static void seedAlice(String jdbcUrl, String serverName, boolean admin) throws Exception {
        seedUser(jdbcUrl, "@alice:" + serverName, admin, 1, "ALICEDEV", "alice_token");
    }

    private static void seedUser(String jdbcUrl, String userId, boolean admin, int tokenId, String deviceId, String token)
            throws Exception {
        try (SynapseDatabase database = SynapseDatabase.open(jdbcUrl, 1)) {
            database.jdbi().useHandle(h -> {
                h.execute("INSERT INTO users (name, creation_ts, admin, is_guest, deactivated) VALUES (?, 1600000000, ?, 0, 0)",
                        userId, admin ? 1 : 0);
                h.execute("INSERT INTO access_tokens (id, user_id, device_id, token) VALUES (?, ?, ?, ?)",
                        tokenId, userId, deviceId, token);
            });
        }
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        return send(deployment, "GET", path, token);
    }

    HttpResponse<String> send(String method, String path, String token) throws Exception {
        return send(deployment, method, path, token);
    }

    static HttpResponse<String> send(Deployment to, String method, String path, String token) throws Exception {
        return send(to, method, path, token, HttpRequest.BodyPublishers.noBody());
    }

    static HttpResponse<String> send(Deployment to, String method, String path, String token,
                                     HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + to.port() + path))
                .method(method, body);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void versionsIsPublic() throws Exception {
        HttpResponse<String> response = get("/_matrix/client/versions", null);
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("\"v1.11\""), response.body());
    }

    @Test
    void whoamiAnswersForAToken() throws Exception {
        HttpResponse<String> response = get("/_matrix/client/v3/account/whoami", "alice_token");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"user_id\":\"@alice:example.test\",\"device_id\":\"ALICEDEV\",\"is_guest\":false,"
                + "\"org.matrix.msc3069.is_guest\":false}", response.body());
    }

    @Test
    void pathsNothingServesAreMatrixErrorsInTheWarToo() throws Exception {
        // web.xml's fallback servlet and error page, not the container's directory listing, HTML or JSP engine.
        for (String path : new String[] {"/", "/nothing", "/index.jsp", "/WEB-INF/web.xml"}) {
            HttpResponse<String> response = get(path, "alice_token");
            assertEquals(404, response.statusCode(), path);
            assertEquals(UNRECOGNIZED, response.body(), path);
        }
    }

    @Test
    void unservedPathsAndMethodsAreUnrecognizedWithOrWithoutATokenAsInSynapse() throws Exception {
        // web.xml lists what is served, then "/** public": the rest is answered before any token is asked for.
        for (String token : new String[] {null, "alice_token", "bogus"}) {
            for (String path : new String[] {"/_matrix/client/v1/auth_metadata",
                    "/_matrix/client/unstable/org.matrix.msc2965/auth_issuer"}) {
                HttpResponse<String> response = get(path, token);
                assertEquals(404, response.statusCode(), path + " with " + token);
                assertEquals(UNRECOGNIZED, response.body());
            }
            for (String[] request : new String[][] {{"POST", "/_matrix/client/v3/account/whoami"},
                    {"DELETE", "/_matrix/client/versions"}, {"POST", "/_synapse/metrics"}}) {
                HttpResponse<String> response = send(request[0], request[1], token);
                assertEquals(405, response.statusCode(), request[0] + " " + request[1] + " with " + token);
                assertEquals(UNRECOGNIZED, response.body());
            }
        }
    }

    @Test
    void whoamiRefusesWithoutAToken() throws Exception {
        HttpResponse<String> response = get("/_matrix/client/r0/account/whoami", null);
        assertEquals(401, response.statusCode());
        assertEquals("{\"errcode\":\"M_MISSING_TOKEN\",\"error\":\"Missing access token\"}", response.body());
    }

    @Test
    void whoamiRefusesAnUnknownToken() throws Exception {
        HttpResponse<String> response = get("/_matrix/client/v3/account/whoami", "nope");
        assertEquals(401, response.statusCode());
        assertEquals("{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Unrecognised access token\",\"soft_logout\":false}",
                response.body());
    }

    @Test
    void metricsAreServedFromTheSameWebApplication() throws Exception {
        get("/_matrix/client/v3/account/whoami", "alice_token");
        HttpResponse<String> response = get("/_synapse/metrics", null);
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("matrix_auth_requests_total{outcome=\"authenticated\"}"), response.body());
    }

    /**
     * The war carries its SLF4J provider (slf4j-jdk14): the filter's lines go to java.util.logging,
     * which is Tomcat's logging (JULI), instead of SLF4J's no-op logger. Here the access line of a
     * refused request (OBS-3) arrives as a java.util.logging record.
     */
    @Test
    @DisplayName("OBS-3: the war's access line reaches java.util.logging, the query's token redacted")
    void obs3TheWarsLogLinesReachJavaUtilLogging() throws Exception {
        try (JulRecords access = new JulRecords(AccessLogFilter.LOGGER)) {
            assertEquals(401, get("/_matrix/client/v3/account/whoami?access_token=jul_secret", null).statusCode());
            Predicate<String> refusal = m -> m.startsWith(AccessLogFilter.LOGGER + " ") && m.contains("{None}")
                    && m.contains(" 401 \"GET /_matrix/client/v3/account/whoami?access_token=<redacted> HTTP/1.1\"");
            // The previous test's line may arrive here too: it is written after its response.
            List<String> lines = access.messagesOnceOne(refusal);
            assertTrue(lines.stream().anyMatch(refusal), lines.toString());
            assertTrue(lines.stream().noneMatch(m -> m.contains("jul_secret")), "no token logged");
        }
    }

    /**
     * The admin API's "login as user" gives the admin a puppet token; a request made with it is on
     * the audit logger (admin and user named, never the token) and in the acting-as counter.
     */
    @Test
    @DisplayName("OBS-4: a puppet token's request reaches the audit logger and the acting-as counter, never the token")
    void obs4APuppetTokensRequestIsAudited() throws Exception {
        try (JulRecords audit = new JulRecords("org.matrixauth.audit")) {
            HttpResponse<String> login = send(deployment, "POST", "/_synapse/admin/v1/users/@alice:example.test/login", ADMIN_TOKEN,
                    HttpRequest.BodyPublishers.ofString("{}"));
            assertEquals(200, login.statusCode(), login.body());
            String puppet = new ObjectMapper().readTree(login.body()).get("access_token").asText();
            HttpResponse<String> whoami = get("/_matrix/client/v3/account/whoami", puppet);
            assertEquals(200, whoami.statusCode(), whoami.body());
            assertTrue(whoami.body().contains("\"user_id\":\"@alice:example.test\""), whoami.body());

            String acted = "puppet_token: " + ADMIN + " acted as @alice:example.test";
            List<String> lines = audit.messagesOnceOne(m -> m.contains(acted));
            assertTrue(lines.stream().anyMatch(m -> m.contains(acted)), lines.toString());
            assertTrue(lines.stream().noneMatch(m -> m.contains(puppet) || m.contains(ADMIN_TOKEN)), "no token logged");
            Matcher counted = PUPPET_REQUESTS.matcher(get("/_synapse/metrics", null).body());
            assertTrue(counted.find(), "matrix_auth_acting_as_requests_total{kind=\"puppet_token\"} is exported");
            assertTrue(Double.parseDouble(counted.group(1)) >= 1, counted.group());
        }
    }

    /** Synapse's liveness answer, and the readiness a load balancer asks for, the database checked. */
    @Test
    @DisplayName("OBS-5: /health is Synapse's 200 OK, /health/ready is 200 with the database check while it can serve")
    void obs5HealthAndReadiness() throws Exception {
        HttpResponse<String> alive = get("/health", null);
        assertEquals(200, alive.statusCode());
        assertEquals("OK", alive.body());
        HttpResponse<String> ready = get("/health/ready", null);
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("\"can_serve\":true"), ready.body());
        assertTrue(ready.body().contains("{\"name\":\"database\",\"ok\":true,\"required\":true}"), ready.body());
    }

    /** What the client gets for requests the containers treat differently (README, "Containers"). */
    @Test
    void requestsTheContainersTreatDifferentlyGetThisContainersAnswer() throws Exception {
        List<String> failures = new ArrayList<>();
        for (ContainerEdgeCases.Case edge : ContainerEdgeCases.CASES) {
            String problem = edge.on(container()).problem(RawHttp.sendRaw("127.0.0.1", deployment.port(), edge.request()));
            if (problem != null) {
                failures.add(edge.name() + ": " + problem);
            }
        }
        assertEquals(List.of(), failures);
    }

    /**
     * A deployer's routes (servlet-context {@code matrix_auth.routes}) that leave out an endpoint
     * the war serves: the deployment fails (RouteCheck) instead of serving whoami to anyone. With
     * the routes left alone, the same war on a database of its own deploys (the test below).
     */
    @Test
    void routesThatLeaveAServedEndpointOutFailTheDeployment() {
        assertThrows(NotStarted.class, () -> deploy(dir.resolve("refused"), Map.of("matrix_auth.database",
                "jdbc:h2:mem:refused", "matrix_auth.routes", RouteCheckTest.routesWithout(RouteCheckTest.WHOAMI))));
    }

    /**
     * A second deployment, on a PostgreSQL database of its own, given nothing but that database:
     * server_name, which the filter requires, comes from the war's {@code /WEB-INF/homeserver.yaml}
     * ({@code localhost}), by which the admin API creates {@code @bob:localhost} as a local user.
     * Undeploying it calls the filter's {@code destroy()}: the client-IP row queued by that request
     * is written, and every connection to the database (the pool's, the change listener's) is
     * closed, while the container runs on.
     */
    @Test
    void theConfigFileInsideTheWarIsReadAndUndeployingFlushesClientIpsAndClosesThePool() throws Exception {
        try (TestDatabase database = TestDatabase.postgres()) {
            seedAlice(database.jdbcUrl(), "localhost", true);
            try (Deployment second = deploy(dir.resolve("second"), Map.of("matrix_auth.database", database.jdbcUrl()))) {
                HttpResponse<String> created = send(second, "PUT", "/_synapse/admin/v2/users/@bob:localhost", "alice_token",
                        HttpRequest.BodyPublishers.ofString("{}"));
                assertEquals(201, created.statusCode(), created.body());
                assertTrue(created.body().contains("\"name\":\"@bob:localhost\""), created.body());

                // Rows are written every 5 s from the filter's start: this one is still queued.
                assertEquals(1, pendingClientIpRows(second), "the request's client IP is queued");
                assertEquals(0, userIps(database), "nothing written yet");
                int connections = database.openConnections();
                assertTrue(connections > 0, "the pool is open");

                second.undeploy();
                assertEquals(1, userIps(database), "destroy() wrote the queued client IP");
                int left = database.openConnectionsOnceClosed();
                System.out.printf("undeploy: %d connection(s) to the database before, %d after%n", connections, left);
                assertEquals(0, left, "connections left open after undeploy");
            }
        }
    }

    private static long pendingClientIpRows(Deployment to) throws Exception {
        HttpResponse<String> metrics = send(to, "GET", "/_synapse/metrics", null);
        Matcher pending = PENDING_ROWS.matcher(metrics.body());
        assertTrue(pending.find(), metrics.body());
        return (long) Double.parseDouble(pending.group(1));
    }

    private static long userIps(TestDatabase database) {
        return DatabaseRows.count(database.jdbcUrl(), "SELECT COUNT(*) FROM user_ips");
    }
}
