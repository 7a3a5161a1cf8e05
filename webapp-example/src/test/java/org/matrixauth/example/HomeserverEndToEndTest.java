package org.matrixauth.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.matrixauth.servlet.RouteRule;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.Registrations;
import org.matrixauth.testing.TcpProxy;
import org.matrixauth.testing.TestDatabase;
import org.matrixauth.token.SynapseTokenFormat;

/**
 * The example homeserver started by its main on a free port and driven only over HTTP, as a
 * script written for Synapse would drive Synapse: on embedded H2 and on PostgreSQL.
 */
class HomeserverEndToEndTest {
    static final String SECRET = "shared-secret-for-tests";
    static final String WHOAMI = "/_matrix/client/v3/account/whoami";

    @TempDir
    Path dir;

    private ExampleHomeserver homeserver;
    private MatrixClient client;
    private String database;
    private TestDatabase postgres;

    @AfterEach
    void stop() throws Exception {
        if (homeserver != null) {
            homeserver.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private void start(String databaseKind, String extraConfig) throws Exception {
        if (databaseKind.equals("postgresql")) {
            postgres = TestDatabase.postgres();
            startOn(postgres.jdbcUrl(), extraConfig);
        } else {
            startOn("jdbc:h2:file:" + dir.resolve("homeserver"), extraConfig);
        }
    }

    private void startOn(String databaseUrl, String extraConfig) throws Exception {
        database = databaseUrl;
        Path irc = Registrations.irc(dir);
        Path config = Files.writeString(dir.resolve("homeserver.yaml"), """
                server_name: test
                database: "%s"
                registration_shared_secret: %s
                macaroon_secret_key: macaroon-key-for-tests
                allow_guest_access: true
                bcrypt_rounds: 4
                app_service_config_files: ["%s"]
                %s
                """.formatted(database, SECRET, irc, extraConfig));
        homeserver = ExampleHomeserver.start(config, 0);
        client = new MatrixClient("http://127.0.0.1:" + homeserver.port());
    }

    private MatrixClient.Answer registerWithSharedSecret(String user, String password, boolean admin) throws Exception {
        return client.registerWithSharedSecret(SECRET, user, password, admin);
    }

    private MatrixClient.Answer login(String user, String password) throws Exception {
        return client.post("/_matrix/client/v3/login", null, Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", user), "password", password));
    }

    private String whoami(String path, String token) throws Exception {
        MatrixClient.Answer answer = client.get(path, token);
        assertEquals(200, answer.status(), answer.body().toString());
        return answer.string("user_id");
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aSynapseScriptWorksUnchanged(String databaseKind) throws Exception {
        start(databaseKind, "");
        assertEquals(200, client.get("/_matrix/client/versions", null).status());

        // A first admin, through shared-secret registration.
        MatrixClient.Answer admin = registerWithSharedSecret("admin", "admin-password", true);
        assertEquals(200, admin.status(), admin.body().toString());
        String adminToken = admin.string("access_token");
        assertEquals("@admin:test", whoami("/_matrix/client/v3/account/whoami", adminToken));

        // Users, through the admin API, then password login (localpart or full id).
        assertEquals(201, client.put("/_synapse/admin/v2/users/@alice:test", adminToken, Map.of("password", "alice-pw")).status());
        MatrixClient.Answer alice = login("alice", "alice-pw");
        assertEquals("@alice:test", alice.string("user_id"));
        String aliceToken = alice.string("access_token");
        String aliceDevice = alice.string("device_id");
        String aliceSecondToken = login("@alice:test", "alice-pw").string("access_token");
        assertEquals(403, login("alice", "wrong").status());
        assertEquals("M_FORBIDDEN", login("alice", "wrong").errcode());

        // whoami every way the servlet matrix asks it.
        assertEquals(Map.of("user_id", "@alice:test", "device_id", aliceDevice, "is_guest", false,
                "org.matrix.msc3069.is_guest", false), client.get("/_matrix/client/r0/account/whoami", aliceToken).body());
        assertEquals("@alice:test", whoami("/_matrix/client/v3/account/whoami?access_token=" + aliceToken, null));
        assertEquals("M_MISSING_TOKEN", client.get("/_matrix/client/v3/account/whoami", null).errcode());
        assertEquals("M_UNKNOWN_TOKEN", client.get("/_matrix/client/v3/account/whoami", "nonsense").errcode());

        // A puppet token and an expired puppet token.
        String puppet = client.post("/_synapse/admin/v1/users/@alice:test/login", adminToken, Map.of()).string("access_token");
        assertEquals("@alice:test", whoami("/_matrix/client/v3/account/whoami", puppet));
        String expired = client.post("/_synapse/admin/v1/users/@alice:test/login", adminToken,
                Map.of("valid_until_ms", System.currentTimeMillis() - 1_000)).string("access_token");
        MatrixClient.Answer soft = client.get("/_matrix/client/v3/account/whoami", expired);
        assertEquals(401, soft.status());
        assertEquals(true, soft.body().get("soft_logout"));
        assertEquals("M_FORBIDDEN", client.post("/_synapse/admin/v1/users/@alice:test/login", aliceToken, Map.of()).errcode(),
                "only admins log in as others");

        // An appservice user: registered, logged in, masqueraded as.
        MatrixClient.Answer bob = client.post("/_matrix/client/v3/register", "as_irc_token",
                Map.of("type", "m.login.application_service", "username", "_irc_bob"));
        assertEquals("@_irc_bob:test", bob.string("user_id"), bob.body().toString());
        assertEquals("@_irc_bob:test", whoami("/_matrix/client/v3/account/whoami", bob.string("access_token")));
        assertEquals("@_irc_bob:test", whoami("/_matrix/client/v3/account/whoami?user_id=@_irc_bob:test", "as_irc_token"));
        assertEquals("@_irc_bot:test", whoami("/_matrix/client/v3/account/whoami", "as_irc_token"));
        MatrixClient.Answer asLogin = client.post("/_matrix/client/v3/login", "as_irc_token", Map.of(
                "type", "m.login.application_service", "identifier", Map.of("type", "m.id.user", "user", "_irc_bob")));
        assertEquals("@_irc_bob:test", whoami("/_matrix/client/v3/account/whoami", asLogin.string("access_token")));
        assertEquals("M_EXCLUSIVE", client.post("/_matrix/client/v3/register", "as_irc_token",
                Map.of("type", "m.login.application_service", "username", "carol")).errcode());
        assertEquals(Map.of("user_id", "@_irc_inhibited:test", "home_server", "test"),
                client.post("/_matrix/client/v3/register", "as_irc_token", Map.of("type", "m.login.application_service",
                        "username", "_irc_inhibited", "inhibit_login", true)).body());

        // A guest.
        MatrixClient.Answer guest = client.post("/_matrix/client/v3/register?kind=guest", null, Map.of());
        MatrixClient.Answer guestWhoami = client.get("/_matrix/client/v3/account/whoami", guest.string("access_token"));
        assertEquals(Map.of("user_id", guest.string("user_id"), "device_id", "guest_device", "is_guest", true,
                "org.matrix.msc3069.is_guest", true), guestWhoami.body());

        // Logout: the token answers M_UNKNOWN_TOKEN at once; the other one still works.
        assertEquals(200, client.post("/_matrix/client/v3/logout", aliceToken, Map.of()).status());
        assertEquals("M_UNKNOWN_TOKEN", client.get("/_matrix/client/v3/account/whoami", aliceToken).errcode());
        assertEquals("@alice:test", whoami("/_matrix/client/v3/account/whoami", aliceSecondToken));

        // Locked through the admin API; logout/all still allowed for a locked user, then nothing works.
        assertEquals(200, client.put("/_synapse/admin/v2/users/@alice:test", adminToken, Map.of("locked", true)).status());
        assertEquals("M_USER_LOCKED", client.get("/_matrix/client/v3/account/whoami", aliceSecondToken).errcode());
        assertEquals(200, client.post("/_matrix/client/v3/logout/all", aliceSecondToken, Map.of()).status());
        assertEquals("M_UNKNOWN_TOKEN", client.get("/_matrix/client/v3/account/whoami", aliceSecondToken).errcode());

        // Deactivation deletes tokens.
        String bobToken = bob.string("access_token");
        assertEquals(200, client.put("/_synapse/admin/v2/users/@_irc_bob:test", adminToken, Map.of("deactivated", true)).status());
        assertEquals("M_UNKNOWN_TOKEN", client.get("/_matrix/client/v3/account/whoami", bobToken).errcode());

        // Stopping writes what was queued: the client IPs of this script are in user_ips.
        homeserver.stop();
        homeserver = null;
        assertTrue(countRows("SELECT COUNT(*) FROM user_ips WHERE user_id = '@admin:test'") >= 1);
    }

    private long countRows(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(database); Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"h2", "postgresql"})
    @DisplayName("RFT-1..5, RFT-7: login with a refresh token, renew, retry, reuse and logout, in Synapse's statuses and bodies")
    void rftLoginRenewReuseAndLogoutAsSynapse(String databaseKind) throws Exception {
        start(databaseKind, "refreshable_access_token_lifetime: 5m\nrefresh_token_lifetime: 1h");
        String adminToken = registerWithSharedSecret("admin", "admin-password", true).string("access_token");
        assertEquals(201, client.put("/_synapse/admin/v2/users/@alice:test", adminToken, Map.of("password", "alice-pw")).status());

        // RFT-1: the answer carries the refresh token and the access token's lifetime.
        MatrixClient.Answer login = client.post("/_matrix/client/v3/login", null, Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", "alice"), "password", "alice-pw", "refresh_token", true));
        assertEquals(200, login.status(), login.body().toString());
        assertEquals(300_000, login.body().get("expires_in_ms"));
        String first = login.string("refresh_token");
        assertTrue(first.startsWith("syr_"), first);
        assertEquals("@alice:test", whoami(WHOAMI, login.string("access_token")));
        assertFalse(login("alice", "alice-pw").body().containsKey("refresh_token"), "only when asked for");

        // RFT-2 on 1.50's path and today's; RFT-4: a retry before use replaces the lost answer.
        MatrixClient.Answer lost = client.post("/_matrix/client/v1/refresh", null, Map.of("refresh_token", first));
        assertEquals(200, lost.status(), lost.body().toString());
        assertEquals(List.of("access_token", "expires_in_ms", "refresh_token"), lost.body().keySet().stream().sorted().toList());
        MatrixClient.Answer renewed = client.post("/_matrix/client/v3/refresh", null, Map.of("refresh_token", first));
        assertEquals(200, renewed.status(), renewed.body().toString());
        assertEquals(401, client.get(WHOAMI, lost.string("access_token")).status(), "the replaced answer's token is gone");
        assertEquals("@alice:test", whoami(WHOAMI, renewed.string("access_token")));

        // RFT-4: once the new access token has been used, the old refresh token is spent.
        assertEquals(new MatrixClient.Answer(403, Map.of("errcode", "M_FORBIDDEN", "error", "refresh token isn't valid anymore")),
                client.post("/_matrix/client/v1/refresh", null, Map.of("refresh_token", first)));
        // RFT-3: Synapse's two 401s, without soft_logout.
        assertEquals(new MatrixClient.Answer(401, Map.of("errcode", "M_UNKNOWN_TOKEN", "error", "invalid refresh token")),
                client.post("/_matrix/client/v1/refresh", null, Map.of("refresh_token", first + "x")));
        assertEquals(400, client.post("/_matrix/client/v1/refresh", null, Map.of("refresh_token", 5)).status());
        assertEquals("M_MISSING_PARAM", client.post("/_matrix/client/v1/refresh", null, Map.of()).errcode());
        assertEquals(400, client.post("/_matrix/client/v3/login", null, Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", "alice"), "password", "alice-pw",
                "refresh_token", "yes")).status());

        // RFT-1 for registration, then RFT-7: logout ends the device's refresh tokens.
        MatrixClient.Answer bob = client.post("/_matrix/client/v3/register", "as_irc_token", Map.of(
                "type", "m.login.application_service", "username", "_irc_bob", "refresh_token", true));
        assertEquals(200, bob.status(), bob.body().toString());
        assertEquals(300_000, bob.body().get("expires_in_ms"));
        String next = renewed.string("refresh_token");
        assertEquals(200, client.post("/_matrix/client/v3/logout", renewed.string("access_token"), Map.of()).status());
        assertEquals(new MatrixClient.Answer(401, Map.of("errcode", "M_UNKNOWN_TOKEN", "error", "refresh token does not exist")),
                client.post("/_matrix/client/v1/refresh", null, Map.of("refresh_token", next)));
    }

    @Test
    @DisplayName("RFT-1, TOK-3: a login without a refresh token lasts nonrefreshable_access_token_lifetime within"
            + " session_lifetime, then is a soft logout; a bad refresh_token value is refused before the user is made")
    void rftPlainLoginLifetimesAndBadValuesFirst() throws Exception {
        start("h2", "nonrefreshable_access_token_lifetime: 2s\nsession_lifetime: 1h");
        String adminToken = registerWithSharedSecret("admin", "admin-password", true).string("access_token");
        assertEquals(201, client.put("/_synapse/admin/v2/users/@alice:test", adminToken, Map.of("password", "alice-pw")).status());
        MatrixClient.Answer login = login("alice", "alice-pw");
        int expiresInMs = (Integer) login.body().get("expires_in_ms");
        assertTrue(expiresInMs > 0 && expiresInMs <= 2_000, login.body().toString());
        assertFalse(login.body().containsKey("refresh_token"));
        assertTrue(SynapseTokenFormat.fits(SynapseTokenFormat.ACCESS, login.string("access_token")), "FLOOD-1: Synapse's shape");
        assertEquals("@alice:test", whoami(WHOAMI, login.string("access_token")));
        Thread.sleep(expiresInMs + 200L);
        assertEquals(new MatrixClient.Answer(401, Map.of("errcode", "M_UNKNOWN_TOKEN", "error", "Access token has expired",
                "soft_logout", true)), client.get(WHOAMI, login.string("access_token")));

        // As Synapse's RegisterRestServlet: the value is checked before anything else is done.
        Map<String, Object> register = Map.of("type", "m.login.application_service", "username", "_irc_carol");
        MatrixClient.Answer refused = client.post("/_matrix/client/v3/register", "as_irc_token",
                Map.of("type", "m.login.application_service", "username", "_irc_carol", "refresh_token", "yes"));
        assertEquals(new MatrixClient.Answer(400, Map.of("errcode", "M_UNKNOWN", "error", "`refresh_token` should be true or false.")),
                refused);
        MatrixClient.Answer carol = client.post("/_matrix/client/v3/register", "as_irc_token", register);
        assertEquals(200, carol.status(), "the refused registration made no user: " + carol.body());
        assertTrue(carol.body().containsKey("expires_in_ms"), carol.body().toString());
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"h2", "postgresql"})
    @DisplayName("OBS-5: /health answers OK as Synapse's; /health/ready 200 with its checks while the node can serve,"
            + " 503 with Retry-After within 2 s of the database refusing connections, 200 again once it is back")
    void obs5HealthAndReadiness(String databaseKind) throws Exception {
        start(databaseKind, "");
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + homeserver.port();
        HttpResponse<String> alive = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(List.of(200, "OK"), List.of(alive.statusCode(), alive.body()));
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("\"can_serve\":true") && ready.body().contains("\"name\":\"database\""), ready.body());
        if (postgres == null) {
            return;
        }
        postgres.refuseConnections(true);
        long refusedAt = System.nanoTime();
        HttpResponse<String> unready;
        do {
            // A request that needs the database finds it gone; readiness follows at once.
            http.send(HttpRequest.newBuilder(URI.create(base + WHOAMI)).header("Authorization", "Bearer syt_unknown").build(),
                    HttpResponse.BodyHandlers.ofString());
            unready = http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue((System.nanoTime() - refusedAt) / 1_000_000 < 2_000, "still ready: " + unready.body());
        } while (unready.statusCode() == 200);
        assertEquals(503, unready.statusCode(), unready.body());
        assertEquals("1", unready.headers().firstValue("Retry-After").orElse(null));
        assertTrue(unready.body().contains("\"problem\":\"unreachable for"), unready.body());
        postgres.refuseConnections(false);
        long back = System.nanoTime();
        while (http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() != 200) {
            assertTrue((System.nanoTime() - back) / 1_000_000 < 10_000, "not ready again (HikariCP retries within 5 s)");
            Thread.sleep(50);
        }
    }

    @Test
    @DisplayName("OBS-5: in a silent partition /health/ready turns 503 within 2 s, a request that needs the database"
            + " is answered 503 within 1 s, and both recover within 2 s of the network's return")
    void obs5ReadinessInASilentPartition() throws Exception {
        postgres = TestDatabase.postgres();
        try (TcpProxy proxy = new TcpProxy(postgres.jdbcUrl())) {
            startOn(proxy.jdbcUrl(), "");
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + homeserver.port();
            assertEquals(200, status(http, base + "/health/ready", null));
            proxy.partition();
            long silentAt = System.nanoTime();
            long unreadyAfterMs = -1;
            long slowestMs = 0;
            while (unreadyAfterMs < 0 || elapsedMs(silentAt) < 2_500) {
                long sent = System.nanoTime();
                assertEquals(503, status(http, base + WHOAMI, "syt_dW5rbm93bg_never_seen_" + sent));
                slowestMs = Math.max(slowestMs, elapsedMs(sent));
                if (unreadyAfterMs < 0 && status(http, base + "/health/ready", null) == 503) {
                    unreadyAfterMs = elapsedMs(silentAt);
                }
                assertTrue(unreadyAfterMs >= 0 || elapsedMs(silentAt) <= 2_000, "still ready 2 s into the silence");
            }
            assertTrue(slowestMs <= 1_000, "a request waited " + slowestMs + " ms for its 503");
            proxy.heal();
            long back = System.nanoTime();
            while (status(http, base + "/health/ready", null) != 200 || status(http, base + WHOAMI, "syt_unknown") != 401) {
                assertTrue(elapsedMs(back) <= 2_000, "not serving " + elapsedMs(back) + " ms after the network came back");
                Thread.sleep(20);
            }
            System.out.printf("OBS-5 example in a silent partition: /health/ready 503 after %d ms, the slowest 503 in %d ms,"
                    + " serving again %d ms after the network came back%n", unreadyAfterMs, slowestMs, elapsedMs(back));
            homeserver.stop();
            homeserver = null;
        }
    }

    private static int status(HttpClient http, String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static long elapsedMs(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    @Test
    @DisplayName("RFT-1: with refreshable_access_token_lifetime null there are no refresh tokens and no /refresh, as Synapse")
    void rftOffWithoutARefreshableLifetime() throws Exception {
        start("h2", "refreshable_access_token_lifetime: null");
        String adminToken = registerWithSharedSecret("admin", "admin-password", true).string("access_token");
        assertEquals(201, client.put("/_synapse/admin/v2/users/@alice:test", adminToken, Map.of("password", "alice-pw")).status());
        MatrixClient.Answer login = client.post("/_matrix/client/v3/login", null, Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", "alice"), "password", "alice-pw", "refresh_token", true));
        assertEquals(200, login.status(), login.body().toString());
        assertFalse(login.body().containsKey("refresh_token"));
        assertFalse(login.body().containsKey("expires_in_ms"));
        assertEquals(404, client.post("/_matrix/client/v1/refresh", null, Map.of("refresh_token", "syr_x")).status());
    }

    @Test
    void badBodiesGetMatrixErrorsNeverA500() throws Exception {
        start("h2", "");
        String adminToken = registerWithSharedSecret("admin", "pw", true).string("access_token");
        assertEquals("M_NOT_JSON", client.post("/_matrix/client/v3/login", null, "{not json").errcode());
        assertEquals("M_BAD_JSON", client.post("/_matrix/client/v3/login", null, "[1, 2]").errcode());
        assertEquals("M_MISSING_PARAM", client.post("/_matrix/client/v3/login", null, Map.of("password", "x")).errcode());
        assertEquals("M_BAD_JSON", client.post("/_matrix/client/v3/login", null,
                Map.of("type", 5, "user", "a", "password", "x")).errcode());
        assertEquals("M_USER_IN_USE", registerWithSharedSecret("admin", "pw", false).errcode());
        assertEquals("M_INVALID_USERNAME", registerWithSharedSecret("bad name!", "pw", false).errcode());
        assertEquals("M_FORBIDDEN", client.post("/_synapse/admin/v1/register", null, Map.of("nonce",
                client.get("/_synapse/admin/v1/register", null).string("nonce"), "username", "eve", "password", "pw",
                "mac", "00")).errcode());
        assertEquals("M_BAD_JSON", client.put("/_synapse/admin/v2/users/@x:test", adminToken, Map.of("admin", "yes")).errcode());
        assertEquals("M_NOT_FOUND", client.post("/_synapse/admin/v1/users/@nobody:test/login", adminToken, Map.of()).errcode());
        assertEquals("M_UNRECOGNIZED", client.get("/_matrix/client/v3/nothing/here", adminToken).errcode());
        assertEquals("M_FORBIDDEN", client.post("/_matrix/client/v3/register", null, Map.of("username", "x")).errcode());
    }

    /** BLK-7: exactly where Synapse blocks, with room for one monthly active user. */
    @Test
    void blk7AuthBlockingWhereSynapseBlocks() throws Exception {
        start("h2", "limit_usage_by_mau: true\nmax_mau_value: 1\nadmin_contact: 'mailto:ops@test'");
        MatrixClient.Answer admin = registerWithSharedSecret("admin", "pw", true);
        String adminToken = admin.string("access_token");
        whoami("/_matrix/client/v3/account/whoami", adminToken); // the admin is the one monthly active user

        MatrixClient.Answer second = registerWithSharedSecret("second", "pw", false);
        assertEquals(403, second.status());
        assertEquals("M_RESOURCE_LIMIT_EXCEEDED", second.errcode());
        assertEquals("monthly_active_user", second.body().get("limit_type"));
        assertEquals(200, client.get("/_synapse/admin/v2/users/@second:test", adminToken).status(),
                "the account was created before its token was refused");
        assertEquals("M_RESOURCE_LIMIT_EXCEEDED", login("second", "pw").errcode(), "password login");
        assertEquals("M_RESOURCE_LIMIT_EXCEEDED",
                client.post("/_matrix/client/v3/register?kind=guest", null, Map.of()).errcode(), "guest registration");
        assertEquals(200, client.post("/_synapse/admin/v1/users/@second:test/login", adminToken, Map.of()).status(),
                "login as user checks the admin, who is counted");
        assertEquals(200, client.post("/_matrix/client/v3/register", "as_irc_token",
                Map.of("type", "m.login.application_service", "username", "_irc_dave")).status(),
                "appservice registration is not blocked while its users are not tracked");
        assertEquals("@admin:test", whoami("/_matrix/client/v3/account/whoami", adminToken), "whoami is never blocked");
    }

    private MatrixClient.Answer registerAppserviceUser(String localpart, boolean inhibitLogin) throws Exception {
        MatrixClient.Answer registered = client.post("/_matrix/client/v3/register", "as_irc_token", Map.of(
                "type", "m.login.application_service", "username", localpart, "inhibit_login", inhibitLogin));
        assertEquals(200, registered.status(), registered.body().toString());
        return registered;
    }

    private MatrixClient.Answer appserviceLogin(String localpart) throws Exception {
        return client.post("/_matrix/client/v3/login", "as_irc_token", Map.of("type", "m.login.application_service",
                "identifier", Map.of("type", "m.id.user", "user", localpart)));
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"h2", "postgresql"})
    @DisplayName("BLK-7, BLK-5: an appservice's login creates a token and is blocked like a password login")
    void blk7AppserviceLoginIsRefusedUnderAFullMauLimitUnlessTheUserIsCounted(String databaseKind) throws Exception {
        start(databaseKind, "limit_usage_by_mau: true\nmax_mau_value: 1\nadmin_contact: 'mailto:ops@test'");
        // An appservice user counted first takes no room (MAU-1); then the admin takes the one place.
        whoami(WHOAMI, registerAppserviceUser("_irc_carol", false).string("access_token"));
        whoami(WHOAMI, registerWithSharedSecret("admin", "pw", true).string("access_token"));
        registerAppserviceUser("_irc_bob", true);

        MatrixClient.Answer refused = appserviceLogin("_irc_bob");
        assertEquals(403, refused.status());
        assertEquals(Map.of("errcode", "M_RESOURCE_LIMIT_EXCEEDED", "error", "Monthly Active User Limit Exceeded",
                "admin_contact", "mailto:ops@test", "limit_type", "monthly_active_user"), refused.body());
        MatrixClient.Answer counted = appserviceLogin("_irc_carol");
        assertEquals(200, counted.status(), "a user in monthly_active_users logs in, as with password login");
        assertEquals("@_irc_carol:test", whoami(WHOAMI, counted.string("access_token")));
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"h2", "postgresql"})
    @DisplayName("BLK-7, BLK-4: while the server is disabled an appservice's login is refused with its message")
    void blk7AppserviceLoginIsRefusedWhileTheServerIsDisabled(String databaseKind) throws Exception {
        start(databaseKind, "hs_disabled: true\nhs_disabled_message: 'Down for maintenance'\nadmin_contact: 'mailto:ops@test'");
        registerAppserviceUser("_irc_bob", true);
        MatrixClient.Answer refused = appserviceLogin("_irc_bob");
        assertEquals(403, refused.status());
        assertEquals(Map.of("errcode", "M_RESOURCE_LIMIT_EXCEEDED", "error", "Down for maintenance",
                "admin_contact", "mailto:ops@test", "limit_type", "hs_disabled"), refused.body());
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"h2", "postgresql"})
    @DisplayName("TRK-6, AS-7, MAU-1: an appservice's own request records its sender, who has no users row, and counts it")
    void trk6AnAppservicesOwnRequestRecordsItsSenderAndCountsItAsMonthlyActive(String databaseKind) throws Exception {
        start(databaseKind, "mau_stats_only: true\ntrack_appservice_user_ips: true");
        assertEquals("@_irc_bot:test", whoami(WHOAMI, "as_irc_token"));
        assertEquals(0, countRows("SELECT COUNT(*) FROM users WHERE name = '@_irc_bot:test'"), "the sender has no users row");
        assertEquals(1, countRows("SELECT COUNT(*) FROM monthly_active_users WHERE user_id = '@_irc_bot:test'"),
                "TRK-6: in the table at once, not with the client-IP batch");
        // An appservice user is put in the table too, but left out of the count (MAU-1); the sender,
        // without a row, is counted as native, as Synapse's count (a LEFT JOIN on users) takes it.
        whoami(WHOAMI, registerAppserviceUser("_irc_bob", false).string("access_token"));
        assertEquals(2, countRows("SELECT COUNT(*) FROM monthly_active_users"));
        String metrics = RawHttp.send("127.0.0.1", homeserver.port(), "GET", "/_synapse/metrics", List.of()).body();
        assertTrue(metrics.contains("synapse_admin_mau_current 1.0"), metrics);
        assertTrue(metrics.contains("synapse_admin_mau_current_mau_by_service{app_service=\"native\"} 1.0"), metrics);
        assertTrue(metrics.contains("synapse_admin_mau_current_mau_by_service{app_service=\"irc\"} 1.0"), metrics);

        homeserver.stop(); // AS-7: the queued client IPs are written
        homeserver = null;
        assertEquals(1, countRows("SELECT COUNT(*) FROM user_ips WHERE user_id = '@_irc_bot:test'"
                + " AND access_token = 'as_irc_token' AND device_id = 'dummy-device'"));
    }

    /**
     * With web.xml's catch-all public rule last, what the example serves must still be guarded
     * by its own rule: each endpoint of the route table that declares a token asks for one, and
     * the admin API for an admin.
     */
    @Test
    @DisplayName("REQ-2: behind the catch-all rule every served endpoint keeps its own rule")
    void req2EveryServedEndpointKeepsItsOwnRule() throws Exception {
        start("h2", "");
        String userToken = registerWithSharedSecret("user", "pw", false).string("access_token");
        List<String> guarded = new ArrayList<>();
        for (Endpoint endpoint : RouteTable.ALL) {
            if (endpoint.served().in(false) && endpoint.rule().access() == RouteRule.Access.REQUIRED) {
                endpoint.path().examples().forEach(path -> guarded.add(endpoint.method() + " " + path));
            }
        }
        assertTrue(guarded.containsAll(List.of("GET /_matrix/client/r0/account/whoami", "POST /_matrix/client/v3/logout",
                "PUT /_synapse/admin/v2/users/" + PathTemplate.EXAMPLE_SEGMENT)), guarded.toString());
        for (String version : List.of("r0", "v3")) {
            assertEquals(200, client.get("/_matrix/client/" + version + "/login", null).status(), "public");
        }
        for (String endpoint : guarded) {
            String[] methodAndPath = endpoint.split(" ");
            RawHttp.Response anonymous = RawHttp.send("127.0.0.1", homeserver.port(), methodAndPath[0], methodAndPath[1],
                    List.of());
            assertEquals(401, anonymous.status(), endpoint);
            assertEquals("M_MISSING_TOKEN", anonymous.json().get("errcode"), endpoint);
        }
        assertEquals("M_FORBIDDEN", client.get("/_synapse/admin/v2/users/@user:test", userToken).errcode(), "admins only");
        assertEquals(200, client.get("/_matrix/client/versions", null).status(), "public");
        RawHttp.Response head = RawHttp.send("127.0.0.1", homeserver.port(), "HEAD", WHOAMI, List.of("Authorization: Bearer " + userToken));
        assertEquals(200, head.status(), "HEAD is served as GET, as in Synapse");
        assertEquals("", head.body());
    }

    /**
     * Synapse mounts MAS's provisioning API and the discovery endpoints only with MAS: without
     * delegation they are paths it does not serve, whatever the token (the filter's 'mas' rules
     * answer so too).
     */
    @Test
    @DisplayName("OAU-10 OAU-9 without delegation: /_synapse/mas/*, auth_metadata and auth_issuer are 404 M_UNRECOGNIZED")
    void oau10WithoutDelegationNothingOfTheAuthorizationServerIsServed() throws Exception {
        start("h2", "");
        for (Map.Entry<String, String> endpoint : MasProvisioningApiTest.ENDPOINTS.entrySet()) {
            for (List<String> headers : List.of(List.<String>of(), List.of("Authorization: Bearer " + SECRET))) {
                RawHttp.Response answer = RawHttp.send("127.0.0.1", homeserver.port(), endpoint.getValue(),
                        "/_synapse/mas/" + endpoint.getKey(), headers);
                assertEquals(404, answer.status(), endpoint.getKey());
                assertEquals(Map.of("errcode", "M_UNRECOGNIZED", "error", "Unrecognized request"), answer.json(), endpoint.getKey());
            }
        }
        for (String path : List.of("/_matrix/client/v1/auth_metadata", "/_matrix/client/unstable/org.matrix.msc2965/auth_issuer")) {
            assertEquals("M_UNRECOGNIZED", client.get(path, null).errcode(), path);
        }
        assertEquals(200, client.get("/_matrix/client/v3/login", null).status(), "its own login is served");
    }

    @Test
    void defaultConfigIsGeneratedOnceWithFreshSecrets() throws Exception {
        Path data = dir.resolve("data");
        String first = Files.readString(ExampleHomeserver.defaultConfig(data));
        assertTrue(first.contains("server_name: localhost"));
        assertTrue(first.matches("(?s).*registration_shared_secret: \"[0-9a-f]{64}\".*"), first);
        assertFalse(first.contains("\ndatabase:"), "the embedded H2 default");
        assertEquals(first, Files.readString(ExampleHomeserver.defaultConfig(data)), "reused, not rewritten");
        assertNotEquals(first, Files.readString(ExampleHomeserver.defaultConfig(dir.resolve("elsewhere"))), "fresh secrets");
    }
}
