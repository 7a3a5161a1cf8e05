package org.matrixauth.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.matrixauth.MatrixAuth;
import org.matrixauth.oauth.AuthorizationServer;
import org.matrixauth.servlet.RouteRules;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.FilterServer;
import org.matrixauth.testing.OAuthServer;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.Registrations;

/**
 * SPEC section 12 through the real filter on Jetty, against a real authorization server (Spring
 * Authorization Server, {@link OAuthServer}) that issues the tokens through its own grant and
 * answers introspection: one table row per rule, then the cache, the shared secret and the
 * server's metadata.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = DatabaseKind.class, names = {"H2", "POSTGRESQL"})
class OAuthDelegationTest {
    static final String SECRET = "mas-shared-secret-for-tests";
    static final String API = "urn:matrix:client:api:*";
    static final String UNSTABLE_API = "urn:matrix:org.matrix.msc2967.client:api:*";
    static final String ADMIN = "urn:synapse:admin:*";
    static final String WHOAMI = "/_matrix/client/v3/account/whoami";
    static final String ROUTES = """
            /metrics            public
            /_synapse/admin/**  admin
            /_synapse/mas/**    mas
            """;
    static final Duration HOUR = Duration.ofHours(1);

    @RegisterExtension
    static final OAuthServer authorizationServer = OAuthServer.forTestClass(SECRET);

    @Parameter
    DatabaseKind kind;

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> kind);

    @TempDir
    Path dir;

    FilterServer server;

    /** The filter with delegation on, as a homeserver.yaml's {@code matrix_authentication_service} sets it. */
    static Map<String, String> delegation(String jdbcUrl, Path appservice, String endpoint, String secret) {
        Map<String, String> params = new HashMap<>(Map.of(
                "server_name", "test",
                "database", jdbcUrl,
                "app_service_config_files", appservice.toString(),
                "matrix_authentication_service.enabled", "true",
                "matrix_authentication_service.endpoint", endpoint,
                "matrix_authentication_service.secret", secret,
                "matrix_authentication_service.request_timeout", "1s",
                RouteRules.INIT_PARAM, ROUTES));
        return params;
    }

    @BeforeEach
    void start() throws Exception {
        db.rows().user("@alice:test").device("@alice:test", "ALICEDEV").device("@alice:test", "OTHERDEV");
        db.rows().user("@boss:test", true, false);
        db.rows().token("@alice:test", "synapse_token_of_alice", "ALICEDEV");
        server = new FilterServer().context("/", delegation(db.jdbcUrl(), Registrations.irc(dir),
                authorizationServer.endpoint().toString(), SECRET)).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    RawHttp.Response get(String path, String token) throws Exception {
        List<String> headers = token == null ? List.of() : List.of("Authorization: Bearer " + token);
        return RawHttp.send("127.0.0.1", server.port(), "GET", path, headers);
    }

    static String issue(String username, String deviceIdClaim, String... scopes) {
        return authorizationServer.issue(username, deviceIdClaim, HOUR, scopes);
    }

    /** A request the table describes: how its token is made, where it goes, what the filter answers. */
    record Row(String rule, Function<OAuthDelegationTest, String> token, String path, int status, String errcode,
               String error, Map<String, Object> fields) {
        @Override
        public String toString() {
            return rule;
        }
    }

    static Row ok(String rule, Function<OAuthDelegationTest, String> token, String path, Map<String, Object> fields) {
        return new Row(rule, token, path, 200, null, null, fields);
    }

    static Row refused(String rule, Function<OAuthDelegationTest, String> token, String path, int status, String errcode,
                       String error) {
        return new Row(rule, token, path, status, errcode, error, Map.of());
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                ok("OAU-3 an active token with the stable API scope and a device scope",
                        t -> issue("alice", null, API, "urn:matrix:client:device:ALICEDEV"), WHOAMI,
                        Map.of("user_id", "@alice:test", "device_id", "ALICEDEV", "is_guest", false, "role_admin", false)),
                refused("OAU-3 a token the server says is not active (revoked there)", t -> {
                    String token = issue("alice", null, API);
                    authorizationServer.revoke(token);
                    return token;
                }, WHOAMI, 401, "M_UNKNOWN_TOKEN", "Token is not active"),
                refused("OAU-4 no Matrix API scope", t -> issue("alice", null, "openid"), WHOAMI,
                        401, "M_UNKNOWN_TOKEN", "Token doesn't grant access to the Matrix C-S API"),
                ok("OAU-4 the unstable API scope (MSC2967)", t -> issue("alice", null, UNSTABLE_API), WHOAMI,
                        Map.of("user_id", "@alice:test")),
                ok("OAU-6 the device from the device_id field", t -> issue("alice", "OTHERDEV", API), WHOAMI,
                        Map.of("device_id", "OTHERDEV")),
                ok("OAU-6 the device from the unstable device scope",
                        t -> issue("alice", null, API, "urn:matrix:org.matrix.msc2967.client:device:OTHERDEV"), WHOAMI,
                        Map.of("device_id", "OTHERDEV")),
                ok("OAU-6 no device at all", t -> issue("alice", null, API), WHOAMI, Map.of("user_id", "@alice:test")),
                refused("OAU-6 two devices in the scope",
                        t -> issue("alice", null, API, "urn:matrix:client:device:ALICEDEV", "urn:matrix:client:device:OTHERDEV"),
                        WHOAMI, 500, "M_FORBIDDEN", "Multiple device IDs in scope"),
                refused("OAU-6 a device that is not in devices", t -> issue("alice", "GONEDEV", API), WHOAMI,
                        401, "M_UNKNOWN_TOKEN", "Token is not active"),
                refused("OAU-5 a user without a row in users", t -> issue("stranger", null, API), WHOAMI,
                        500, "M_FORBIDDEN", "User not found"),
                refused("OAU-5 no username claim", t -> issue(null, null, API), WHOAMI,
                        500, "M_FORBIDDEN", "Invalid username claim in the introspection result"),
                ok("OAU-7 the admin scope on an admin route", t -> issue("alice", null, API, ADMIN), "/_synapse/admin/v2/users",
                        Map.of("user_id", "@alice:test", "role_admin", true)),
                refused("OAU-7 users.admin is not consulted: an admin without the scope", t -> issue("boss", null, API),
                        "/_synapse/admin/v2/users", 403, "M_FORBIDDEN", "You are not a server admin"),
                ok("OAU-1 an appservice token is still checked locally", t -> "as_irc_token", WHOAMI,
                        Map.of("user_id", "@_irc_bot:test", "app_service", "irc")),
                refused("OAU-1 a database access token is not accepted", t -> "synapse_token_of_alice", WHOAMI,
                        401, "M_UNKNOWN_TOKEN", "Token is not active"),
                refused("OAU-10 the shared secret grants nothing on other routes", t -> SECRET, WHOAMI,
                        401, "M_UNKNOWN_TOKEN", "Token is not active"),
                ok("OAU-10 the shared secret on the server's own routes", t -> SECRET, "/_synapse/mas/query_user",
                        Map.of("anonymous", true)),
                refused("OAU-10 a user's token on the server's own routes", t -> issue("alice", null, API, ADMIN),
                        "/_synapse/mas/query_user", 403, "M_FORBIDDEN", "This endpoint must only be called by MAS"),
                refused("OAU-10 no token on the server's own routes", t -> null, "/_synapse/mas/query_user",
                        403, "M_FORBIDDEN", "This endpoint must only be called by MAS"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachRuleThroughTheFilter(Row row) throws Exception {
        RawHttp.Response response = get(row.path(), row.token().apply(this));
        assertEquals(row.status(), response.status(), response.body());
        Map<String, Object> json = response.json();
        if (row.errcode() != null) {
            assertEquals(row.errcode(), json.get("errcode"));
            assertEquals(row.error(), json.get("error"));
            assertEquals("application/json", response.header("Content-Type").split(";")[0]);
            assertFalse(response.body().contains(SECRET), "the secret is never echoed");
        }
        row.fields().forEach((field, value) -> assertEquals(value, json.get(field), field));
    }

    @Test
    @DisplayName("OAU-3 expired by expires_in: the cached answer stops being active without asking again")
    void oau3ExpiresIn() throws Exception {
        String token = authorizationServer.issue("alice", null, Duration.ofSeconds(2), API);
        assertEquals(200, get(WHOAMI, token).status());
        int asked = authorizationServer.introspections();
        Thread.sleep(2_100);
        RawHttp.Response expired = get(WHOAMI, token);
        assertEquals(401, expired.status());
        assertEquals("Token is not active", expired.json().get("error"));
        assertEquals(false, expired.json().get("soft_logout"));
        assertTrue(authorizationServer.introspections() - asked <= 1,
                "decided from the answer's expires_in, or by the server once the cached answer expired with the token");
    }

    @Test
    @DisplayName("OAU-2 the introspection request as Synapse sends it")
    void oau2IntrospectionRequest() throws Exception {
        assertEquals(200, get(WHOAMI, issue("alice", null, API)).status());
        Map<String, String> seen = authorizationServer.lastIntrospection();
        assertEquals("POST", seen.get("method"));
        assertEquals("Bearer " + SECRET, seen.get("Authorization"));
        assertEquals("application/json", seen.get("Accept"));
        assertEquals("application/x-www-form-urlencoded", seen.get("Content-Type"));
        assertEquals("1", seen.get("X-MAS-Supports-Device-Id"));
        assertEquals("access_token", seen.get("token_type_hint"));
    }

    @Test
    @DisplayName("OAU-2 a server that refuses the homeserver's secret: 503, never 401")
    void oau2WrongSecretIs503() throws Exception {
        try (FilterServer wrong = new FilterServer().context("/", delegation(db.jdbcUrl(), Registrations.irc(dir),
                authorizationServer.endpoint().toString(), "not-the-secret")).start()) {
            RawHttp.Response response = RawHttp.send("127.0.0.1", wrong.port(), "GET", WHOAMI,
                    List.of("Authorization: Bearer " + issue("alice", null, API)));
            assertEquals(503, response.status());
            assertEquals("M_UNKNOWN", response.json().get("errcode"));
            assertEquals("Unable to introspect the access token", response.json().get("error"));
        }
    }

    @Test
    @DisplayName("OAU-8 a cached answer: the second request asks the server nothing")
    void oau8Cached() throws Exception {
        String token = issue("alice", null, API);
        assertEquals(200, get(WHOAMI, token).status());
        int asked = authorizationServer.introspections();
        for (int i = 0; i < 5; i++) {
            assertEquals(200, get(WHOAMI, token).status());
        }
        assertEquals(asked, authorizationServer.introspections());
    }

    @Test
    @DisplayName("OAU-8 single flight: 50 concurrent first requests with one token, one introspection")
    void oau8SingleFlight() throws Exception {
        String token = issue("alice", null, API);
        int before = authorizationServer.introspections();
        ExecutorService clients = Executors.newFixedThreadPool(50);
        try {
            List<Callable<Integer>> requests = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                requests.add(() -> get(WHOAMI, token).status());
            }
            for (Future<Integer> status : clients.invokeAll(requests)) {
                assertEquals(200, status.get());
            }
        } finally {
            clients.shutdown();
        }
        int introspections = authorizationServer.introspections() - before;
        System.out.println("OAU-8 single flight (" + kind + "): 50 concurrent first requests, " + introspections
                + " introspection(s)");
        assertEquals(1, introspections);
    }

    @Test
    @DisplayName("OAU-8 deleting the device through the library evicts its cached answers at once")
    void oau8DeviceDeletedThroughTheLibrary() throws Exception {
        String token = issue("alice", "ALICEDEV", API);
        assertEquals(200, get(WHOAMI, token).status());
        server.auth("/").accounts().deleteDevice("@alice:test", "ALICEDEV");
        RawHttp.Response after = get(WHOAMI, token);
        assertEquals(401, after.status());
        assertEquals("Token is not active", after.json().get("error"));
    }

    @Test
    @DisplayName("OAU-9 the authorization server's metadata, for auth_metadata and auth_issuer")
    void oau9Metadata() {
        MatrixAuth auth = server.auth("/");
        AuthorizationServer metadata = auth.authorizationServer().orElseThrow();
        assertEquals(authorizationServer.endpoint().toString().replaceAll("/$", ""), metadata.issuer());
        assertEquals(metadata.issuer() + "/account", metadata.accountManagementUri());
        assertTrue(metadata.metadata().containsKey("introspection_endpoint"));
        assertTrue(metadata.isSharedSecret(SECRET));
        assertFalse(metadata.isSharedSecret(SECRET + "x"));
    }

    @Test
    @DisplayName("OAU-7 OAU-8 metrics: introspection latency by outcome and the cache, no token in them")
    void metrics() throws Exception {
        String token = issue("alice", null, API);
        assertEquals(200, get(WHOAMI, token).status());
        assertEquals(200, get(WHOAMI, token).status());
        String metrics = RawHttp.send("127.0.0.1", server.port(), "GET", "/metrics", List.of()).body();
        assertTrue(metrics.contains("matrix_auth_introspection_seconds_count{outcome=\"active\"}"), metrics);
        assertTrue(metrics.contains("matrix_auth_cache_hits_total{cache=\"introspections\"}"), metrics);
        assertFalse(metrics.contains(token));
    }
}
