package org.matrixauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.nitram509.jmacaroons.MacaroonsBuilder;
import com.github.nitram509.jmacaroons.MacaroonsSerializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.FilterServer;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.SynapseRows;

/**
 * The servlet matrix: the real filter on embedded Jetty, configured by init-params as in
 * web.xml, in front of a whoami servlet, on a real database (one subclass per
 * {@link DatabaseKind}). One row per case, each named after the SPEC rule it shows; every error
 * row is also checked for ERR-1 and ERR-2, and no row may answer 5xx.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class FilterMatrixTestCase {
    static final String KEY = "pymacaroons-test-secret";
    /** Made by pymacaroons for @guest1:test with KEY; see GuestMacaroonVerifierTest. */
    static final String PYMACAROONS_GUEST = "MDAxMmxvY2F0aW9uIHRlc3QKMDAxM2lkZW50aWZpZXIga2V5CjAwMTBjaWQgZ2VuID0gMQowMDE2Y2lkIHR5cGUgPSBhY2Nlc3MKMDAxZmNpZCB1c2VyX2lkID0gQGd1ZXN0MTp0ZXN0CjAwMTVjaWQgZ3Vlc3QgPSB0cnVlCjAwMmZzaWduYXR1cmUgLcRyWlPfAsiaJVVzh6FYNWVR15M66LPBaDayT1KpilMK";
    static final String SYNC = "/_matrix/client/v3/sync";
    static final String WHOAMI = "/_matrix/client/v3/account/whoami";
    static final String LOGOUT = "/_matrix/client/v3/logout";
    static final String REGISTER = "/_matrix/client/v3/register";
    static final String ADMIN = "/_synapse/admin/v1/users/@alice:test";
    static final String ROUTES = """
            /_matrix/client/versions          public
            /_matrix/client/*/account/whoami  guest
            /_matrix/client/*/logout/**       expired locked
            /_matrix/client/*/logout          expired locked
            /_matrix/client/*/register        optional guest
            /_synapse/admin/**                admin
            """;

    private Path dir;

    /** One database for the whole matrix (this class is PER_CLASS), opened before start(). */
    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(this::kind);
    FilterServer server;

    abstract DatabaseKind kind();

    @BeforeAll
    void start(@TempDir Path registrations) throws Exception {
        dir = registrations;
        String url = db.jdbcUrl();
        seed(db.rows());
        String appServices = String.join(",",
                registration("irc", "as_irc_token", "_irc_bot", "'@_irc_.*'", null).toString(),
                registration("local", "as_local_token", "local_bot", "'@_local_.*'", "['127.0.0.0/8', '::1/128']").toString(),
                registration("remote", "as_remote_token", "remote_bot", "'@_remote_.*'", "['10.0.0.0/8', 'fd00::/8']").toString());
        Map<String, String> main = new HashMap<>(Map.of(
                "server_name", "test",
                "database", url,
                "macaroon_secret_key", KEY,
                "app_service_config_files", appServices,
                "account_validity.enabled", "true",
                "experimental_features.msc3202_device_masquerading", "true",
                RouteRules.INIT_PARAM, ROUTES));
        Map<String, String> strict = new HashMap<>(main);
        strict.put("allow_access_token_query", "false");
        strict.put("experimental_features.msc3202_device_masquerading", "false");
        server = new FilterServer().context("/", main).context("/strict", strict).start();
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** TOK-7 needs users.locked, which Synapse 1.50's schema does not have: there the feature is off. */
    boolean locking() {
        return db.database().features().usersLocked();
    }

    private void seed(SynapseRows rows) {
        long hourAgo = System.currentTimeMillis() - 3_600_000;
        rows.user("@alice:test").token("@alice:test", "alice_token", "ALICEDEV");
        rows.user("@admin:test", true, false).token("@admin:test", "admin_token", "ADMINDEV");
        rows.token("@admin:test", "puppet_token", "PUPPETDEV", "@alice:test", null);
        rows.token("@alice:test", "expired_token", "ALICEDEV", null, hourAgo);
        rows.user("@guest1:test", false, true).token("@guest1:test", "guest_token", "GUESTDEV");
        rows.user("@locked:test").token("@locked:test", "locked_token", "LOCKEDDEV");
        rows.user("@lapsed:test").accountValidity("@lapsed:test", hourAgo).token("@lapsed:test", "lapsed_token", "LAPSEDDEV");
        rows.user("@shadow:test").shadowBan("@shadow:test").token("@shadow:test", "shadow_token", "SHADOWDEV");
        rows.user("@_irc_bob:test").device("@_irc_bob:test", "BOBDEV");
        rows.user("@_irc_lapsed:test").accountValidity("@_irc_lapsed:test", hourAgo);
        rows.user("@_irc_locked:test");
        if (locking()) {
            rows.lockUser("@locked:test").lockUser("@_irc_locked:test");
        }
    }

    private Path registration(String id, String asToken, String senderLocalpart, String userRegex, String ipRanges)
            throws IOException {
        return Files.writeString(dir.resolve(id + ".yaml"), """
                id: %s
                url: null
                as_token: %s
                hs_token: hs_%s
                sender_localpart: %s
                namespaces:
                  users:
                    - exclusive: true
                      regex: %s
                %s
                """.formatted(id, asToken, id, senderLocalpart, userRegex,
                ipRanges == null ? "" : "ip_range_whitelist: " + ipRanges));
    }

    private static String macaroon(String key, MacaroonsSerializer format, String... caveats) {
        MacaroonsBuilder builder = new MacaroonsBuilder("test", key, "key");
        for (String caveat : caveats) {
            builder.add_first_party_caveat(caveat);
        }
        return builder.getMacaroon().serialize(format);
    }

    private static String guestMacaroon(String... extraCaveats) {
        List<String> caveats = new ArrayList<>(List.of("gen = 1", "type = access"));
        caveats.addAll(Arrays.asList(extraCaveats));
        return macaroon(KEY, MacaroonsSerializer.V1, caveats.toArray(String[]::new));
    }

    /** One row of the matrix: a request and the answer it must get. */
    record Case(String name, String host, String method, String target, List<String> headers,
                int status, String errcode, Map<String, Object> fields) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A case builder that reads like the row it makes. */
    static final class Row {
        private final String name;
        private String host = "127.0.0.1";
        private String method = "GET";
        private String target = SYNC;
        private final List<String> headers = new ArrayList<>();

        Row(String name) {
            this.name = name;
        }

        Row get(String target) {
            this.target = target;
            return this;
        }

        Row method(String method, String target) {
            this.method = method;
            this.target = target;
            return this;
        }

        Row bearer(String token) {
            return header("Authorization: Bearer " + token);
        }

        Row header(String line) {
            headers.add(line);
            return this;
        }

        Row ipv6() {
            host = "::1";
            return this;
        }

        Case ok(Object... fields) {
            return new Case(name, host, method, target, headers, 200, null, map(fields));
        }

        Case fails(int status, String errcode, Object... fields) {
            return new Case(name, host, method, target, headers, status, errcode, map(fields));
        }

        private static Map<String, Object> map(Object... pairs) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < pairs.length; i += 2) {
                map.put((String) pairs[i], pairs[i + 1]);
            }
            return map;
        }
    }

    static Row row(String name) {
        return new Row(name);
    }

    Stream<Case> cases() {
        String longToken = "a".repeat(4097);
        return Stream.of(
                // EXT: token extraction
                row("EXT-1 bearer header").bearer("alice_token").ok("user_id", "@alice:test"),
                row("EXT-1 access_token query parameter").get(SYNC + "?access_token=alice_token").ok("user_id", "@alice:test"),
                row("EXT-2 header and query parameter mixed").get(SYNC + "?access_token=alice_token").bearer("alice_token")
                        .fails(401, "M_MISSING_TOKEN", "error", "Mixing Authorization headers and access_token query parameters."),
                row("EXT-2 header and empty query parameter mixed").get(SYNC + "?access_token=").bearer("alice_token")
                        .fails(401, "M_MISSING_TOKEN"),
                row("EXT-3 two Authorization headers").bearer("alice_token").bearer("alice_token")
                        .fails(401, "M_MISSING_TOKEN", "error", "Too many Authorization headers."),
                row("EXT-4 lower-case bearer").header("Authorization: bearer alice_token")
                        .fails(401, "M_MISSING_TOKEN", "error", "Invalid Authorization header."),
                row("EXT-4 Basic scheme").header("Authorization: Basic YWxpY2U6cGFzcw==")
                        .fails(401, "M_MISSING_TOKEN", "error", "Invalid Authorization header."),
                row("EXT-4 Bearer without token").header("Authorization: Bearer")
                        .fails(401, "M_MISSING_TOKEN", "error", "Invalid Authorization header."),
                row("EXT-4 two spaces").header("Authorization: Bearer  alice_token").fails(401, "M_MISSING_TOKEN"),
                row("EXT-4 three words").header("Authorization: Bearer alice_token x").fails(401, "M_MISSING_TOKEN"),
                row("EXT-5 no token").fails(401, "M_MISSING_TOKEN", "error", "Missing access token"),
                row("EXT-5 first of several query tokens").get(SYNC + "?access_token=alice_token&access_token=bogus")
                        .ok("user_id", "@alice:test"),
                row("EXT-6 empty query token").get(SYNC + "?access_token=").fails(401, "M_UNKNOWN_TOKEN", "soft_logout", false),
                row("EXT-6 token of 4097 bytes").bearer(longToken).fails(401, "M_UNKNOWN_TOKEN"),
                row("EXT-6 percent-encoded NUL").get(SYNC + "?access_token=alice%00_token").fails(401, "M_UNKNOWN_TOKEN"),
                row("EXT-6 percent-encoded non-ASCII").get(SYNC + "?access_token=caf%C3%A9").fails(401, "M_UNKNOWN_TOKEN"),
                row("EXT-6 invalid UTF-8").get(SYNC + "?access_token=%FF%FE").fails(401, "M_UNKNOWN_TOKEN"),
                row("EXT-6 malformed percent escape").get(SYNC + "?access_token=%zz").fails(401, "M_UNKNOWN_TOKEN"),
                row("EXT-6 SQL metacharacters").get(SYNC + "?access_token=x'%20OR%20'1'='1").fails(401, "M_UNKNOWN_TOKEN"),
                row("EXT-6 SQL metacharacters without spaces").bearer("x';DROP--").fails(401, "M_UNKNOWN_TOKEN"),
                row("EXT-7 query token refused where turned off").get("/strict" + SYNC + "?access_token=alice_token")
                        .fails(401, "M_MISSING_TOKEN", "error", "Missing access token"),
                row("EXT-7 header still accepted where query is off").get("/strict" + SYNC).bearer("alice_token")
                        .ok("user_id", "@alice:test"),

                // AS: application services
                row("AS-1 as_token matched in memory").bearer("as_irc_token").ok("app_service", "irc", "role_appservice", true),
                row("AS-2 IPv4 peer inside ip_range_whitelist").bearer("as_local_token").ok("user_id", "@local_bot:test"),
                row("AS-2 IPv4 peer outside ip_range_whitelist").bearer("as_remote_token")
                        .fails(401, "M_UNKNOWN_TOKEN", "soft_logout", false),
                row("AS-2 IPv6 peer inside ip_range_whitelist").ipv6().bearer("as_local_token").ok("user_id", "@local_bot:test"),
                row("AS-2 IPv6 peer outside ip_range_whitelist").ipv6().bearer("as_remote_token").fails(401, "M_UNKNOWN_TOKEN"),
                row("AS-3 no user_id acts as the sender").bearer("as_irc_token")
                        .ok("user_id", "@_irc_bot:test", "authenticated_entity", "@_irc_bot:test"),
                row("AS-4 user_id equal to the sender").get(SYNC + "?user_id=@_irc_bot:test").bearer("as_irc_token")
                        .ok("user_id", "@_irc_bot:test"),
                row("AS-4 masquerade as a registered user in the namespace").get(SYNC + "?user_id=%40_irc_bob%3Atest")
                        .bearer("as_irc_token").ok("user_id", "@_irc_bob:test"),
                row("AS-4 user_id outside the namespace").get(SYNC + "?user_id=@alice:test").bearer("as_irc_token")
                        .fails(403, "M_FORBIDDEN", "error", "Application service cannot masquerade as this user (@alice:test)."),
                row("AS-4 user_id in the namespace but not registered").get(SYNC + "?user_id=@_irc_nobody:test")
                        .bearer("as_irc_token")
                        .fails(403, "M_FORBIDDEN", "error", "Application service has not registered this user (@_irc_nobody:test)"),
                row("AS-4 empty user_id").get(SYNC + "?user_id=").bearer("as_irc_token").fails(403, "M_FORBIDDEN"),
                row("AS-4 user_id of 300 bytes in the namespace").get(SYNC + "?user_id=@_irc_" + "x".repeat(300) + ":test")
                        .bearer("as_irc_token").fails(403, "M_FORBIDDEN"),
                row("AS-5 stable device_id").get(SYNC + "?user_id=@_irc_bob:test&device_id=BOBDEV").bearer("as_irc_token")
                        .ok("user_id", "@_irc_bob:test", "device_id", "BOBDEV"),
                row("AS-5 stable device_id unknown").get(SYNC + "?user_id=@_irc_bob:test&device_id=NOPE").bearer("as_irc_token")
                        .fails(400, "M_UNKNOWN_DEVICE"),
                row("AS-5b MSC3202 device_id").get(SYNC + "?user_id=@_irc_bob:test&org.matrix.msc3202.device_id=BOBDEV")
                        .bearer("as_irc_token").ok("device_id", "BOBDEV"),
                row("AS-5b MSC3202 device_id unknown").get(SYNC + "?user_id=@_irc_bob:test&org.matrix.msc3202.device_id=NOPE")
                        .bearer("as_irc_token").fails(400, "M_EXCLUSIVE"),
                row("AS-5b MSC3202 parameter ignored when the option is off")
                        .get("/strict" + SYNC + "?user_id=@_irc_bob:test&org.matrix.msc3202.device_id=NOPE")
                        .bearer("as_irc_token").ok("user_id", "@_irc_bob:test", "device_id", null),
                row("AS-5c user_id and device_id ignored on a user token")
                        .get(SYNC + "?user_id=@_irc_bob:test&device_id=BOBDEV").bearer("alice_token")
                        .ok("user_id", "@alice:test", "device_id", "ALICEDEV"),
                row("AS-6 appservice requester has no token id and acts as the user").get(SYNC + "?user_id=@_irc_bob:test")
                        .bearer("as_irc_token").ok("access_token_id", null, "authenticated_entity", "@_irc_bob:test",
                                "is_guest", false, "app_service", "irc"),
                row("AS-6 TOK-7 appservice skips the locked check").get(SYNC + "?user_id=@_irc_locked:test").bearer("as_irc_token")
                        .ok("user_id", "@_irc_locked:test"),
                row("AS-6 TOK-9 appservice skips account validity").get(SYNC + "?user_id=@_irc_lapsed:test").bearer("as_irc_token")
                        .ok("user_id", "@_irc_lapsed:test"),

                // TOK: user tokens
                row("TOK-1 user token resolves user, device and token id").bearer("alice_token")
                        .ok("user_id", "@alice:test", "device_id", "ALICEDEV", "authenticated_entity", "@alice:test",
                                "is_guest", false, "app_service", null),
                row("TOK-1 shadow-banned flag is carried").bearer("shadow_token").ok("shadow_banned", true),
                row("TOK-2 unknown token").bearer("bogus")
                        .fails(401, "M_UNKNOWN_TOKEN", "error", "Unrecognised access token", "soft_logout", false),
                row("TOK-3 expired token is a soft logout").bearer("expired_token")
                        .fails(401, "M_UNKNOWN_TOKEN", "error", "Access token has expired", "soft_logout", true),
                row("TOK-3 expired token on a route that allows expired").method("POST", LOGOUT).bearer("expired_token")
                        .ok("user_id", "@alice:test"),
                row("TOK-4 puppet token acts as the puppeted user").bearer("puppet_token")
                        .ok("user_id", "@alice:test", "authenticated_entity", "@admin:test", "device_id", "PUPPETDEV"),
                row("TOK-5 guest on a route without guests").bearer("guest_token")
                        .fails(403, "M_GUEST_ACCESS_FORBIDDEN", "error", "Guest access not allowed"),
                row("TOK-5 guest on a route that allows guests").get(WHOAMI).bearer("guest_token")
                        .ok("user_id", "@guest1:test", "is_guest", true, "role_guest", true),
                locking()
                        ? row("TOK-7 locked user").bearer("locked_token")
                                .fails(401, "M_USER_LOCKED", "error", "User account has been locked", "soft_logout", true)
                        : row("TOK-7 off without users.locked: the user cannot be locked").bearer("locked_token")
                                .ok("user_id", "@locked:test"),
                row("TOK-7 locked user on a route that allows locked").method("POST", LOGOUT).bearer("locked_token")
                        .ok("user_id", "@locked:test"),
                row("TOK-8 a deactivated user's deleted token is unknown").bearer("deactivated_token").fails(401, "M_UNKNOWN_TOKEN"),
                row("TOK-9 expired account").bearer("lapsed_token")
                        .fails(403, "ORG_MATRIX_EXPIRED_ACCOUNT", "error", "User account has expired"),
                row("TOK-9 expired account on a route that allows expired").method("POST", LOGOUT + "/all").bearer("lapsed_token")
                        .ok("user_id", "@lapsed:test"),

                // MAC: guest macaroons
                row("MAC-1 MAC-5 pymacaroons guest macaroon").get(WHOAMI).bearer(PYMACAROONS_GUEST)
                        .ok("user_id", "@guest1:test", "is_guest", true, "device_id", "guest_device",
                                "authenticated_entity", "@guest1:test", "access_token_id", null),
                row("MAC-1 jmacaroons guest macaroon in the query").get(WHOAMI + "?access_token="
                                + guestMacaroon("user_id = @guest1:test", "guest = true", "nonce = n1"))
                        .ok("user_id", "@guest1:test"),
                row("MAC-2 time caveat in the past").get(WHOAMI)
                        .bearer(guestMacaroon("user_id = @guest1:test", "guest = true", "time < 1000"))
                        .fails(401, "M_UNKNOWN_TOKEN"),
                row("MAC-2 time caveat in the future").get(WHOAMI)
                        .bearer(guestMacaroon("user_id = @guest1:test", "guest = true", "time < 4102444800000"))
                        .ok("user_id", "@guest1:test"),
                row("MAC-2 conflicting user_id caveats").get(WHOAMI)
                        .bearer(guestMacaroon("user_id = @guest1:test", "user_id = @alice:test", "guest = true"))
                        .fails(401, "M_UNKNOWN_TOKEN"),
                row("MAC-2 unknown caveat").get(WHOAMI).bearer(guestMacaroon("user_id = @guest1:test", "guest = true", "admin = 1"))
                        .fails(401, "M_UNKNOWN_TOKEN"),
                row("MAC-2 wrong type caveat").get(WHOAMI)
                        .bearer(macaroon(KEY, MacaroonsSerializer.V1, "type = login", "user_id = @guest1:test", "guest = true"))
                        .fails(401, "M_UNKNOWN_TOKEN"),
                row("MAC-3 macaroon without guest caveat").get(WHOAMI).bearer(guestMacaroon("user_id = @alice:test"))
                        .fails(401, "M_UNKNOWN_TOKEN"),
                row("MAC-4 guest macaroon for a regular user").get(WHOAMI).bearer(guestMacaroon("user_id = @alice:test", "guest = true"))
                        .fails(401, "M_UNKNOWN_TOKEN"),
                row("MAC-4 guest macaroon for an unknown user").get(WHOAMI).bearer(guestMacaroon("user_id = @nobody:test", "guest = true"))
                        .fails(401, "M_UNKNOWN_TOKEN"),
                row("MAC-6 re-signed with another key").get(WHOAMI)
                        .bearer(macaroon("other-key", MacaroonsSerializer.V1, "user_id = @guest1:test", "guest = true"))
                        .fails(401, "M_UNKNOWN_TOKEN"),
                row("MAC-6 v2 format").get(WHOAMI)
                        .bearer(macaroon(KEY, MacaroonsSerializer.V2, "user_id = @guest1:test", "guest = true"))
                        .fails(401, "M_UNKNOWN_TOKEN"),
                row("MAC-6 truncated").get(WHOAMI).bearer(PYMACAROONS_GUEST.substring(0, 60)).fails(401, "M_UNKNOWN_TOKEN"),
                row("MAC-6 TOK-5 guest macaroon on a route without guests").bearer(PYMACAROONS_GUEST)
                        .fails(403, "M_GUEST_ACCESS_FORBIDDEN"),

                // REQ: the request after authentication
                row("REQ-1 principal, remote user and roles").bearer("alice_token")
                        .ok("principal", "@alice:test", "remote_user", "@alice:test", "role_admin", false,
                                "role_guest", false, "role_appservice", false),
                row("REQ-1 admin role for a server admin").bearer("admin_token").ok("role_admin", true),
                row("REQ-1 admin role follows the effective user of a puppet token").bearer("puppet_token").ok("role_admin", false),
                row("REQ-2 admin route refuses a non-admin").get(ADMIN).bearer("alice_token")
                        .fails(403, "M_FORBIDDEN", "error", "You are not a server admin"),
                row("REQ-2 admin route lets an admin in").get(ADMIN).bearer("admin_token").ok("user_id", "@admin:test"),
                row("REQ-2 admin route checks the puppeted user, not the admin").get(ADMIN).bearer("puppet_token")
                        .fails(403, "M_FORBIDDEN"),
                row("REQ-2 admin route still needs a token").get(ADMIN).fails(401, "M_MISSING_TOKEN"),
                row("REQ-2 public route without a token").get("/_matrix/client/versions").ok("anonymous", true),
                row("REQ-2 public route ignores a bad token").get("/_matrix/client/versions").bearer("bogus").ok("anonymous", true),
                row("REQ-2 unlisted path requires a token").get("/_matrix/client/v3/createRoom").fails(401, "M_MISSING_TOKEN"),
                row("REQ-3 OPTIONS passes without a token").method("OPTIONS", SYNC).ok("anonymous", true),
                row("REQ-4 optional route without a token is anonymous").method("POST", REGISTER).ok("anonymous", true),
                row("REQ-4 optional route with a good token").method("POST", REGISTER).bearer("alice_token")
                        .ok("user_id", "@alice:test"),
                row("REQ-4 optional route with a bad token").method("POST", REGISTER).bearer("bogus")
                        .fails(401, "M_UNKNOWN_TOKEN"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Order(1)
    void matrix(Case c) throws IOException {
        RawHttp.Response response = RawHttp.send(c.host(), server.port(), c.method(), c.target(), c.headers());
        assertTrue(response.status() < 500, "no client input may get a 5xx: " + response.status() + " " + response.body());
        assertEquals(c.status(), response.status(), response.body());
        Map<String, Object> body = response.json();
        if (c.errcode() != null) {
            assertEquals(c.errcode(), body.get("errcode"));
            assertTrue(body.get("error") instanceof String, "ERR-1: every error has a message");
            assertTrue(response.header("content-type").startsWith("application/json"), "ERR-1: JSON");
            BrowserHeaders.CORS.forEach((name, value) -> assertEquals(value, response.header(name), "ERR-1, WEB-2: " + name));
            assertEquals(BrowserHeaders.NO_CACHE, response.header("cache-control"), "WEB-3");
            if (c.status() == 401) {
                assertNotNull(response.header("www-authenticate"), "ERR-2: 401 carries a challenge");
                assertTrue(response.header("www-authenticate").startsWith("Bearer"), "ERR-2");
            }
        }
        c.fields().forEach((field, expected) -> {
            assertTrue(body.containsKey(field), field + " missing from " + body);
            assertEquals(expected, body.get(field), field);
        });
    }

    @Test
    @DisplayName("TOK-6: a fresh token is marked used after its first request, by the background's next flush")
    void tok6FreshTokenIsMarkedUsedByItsFirstRequest() throws Exception {
        SynapseRows rows = db.rows();
        rows.user("@carol:test").token("@carol:test", "carol_token", "CAROLDEV");
        assertFalse(rows.tokenUsed("carol_token"));
        RawHttp.Response response = RawHttp.send("127.0.0.1", server.port(), "GET", SYNC, List.of("Authorization: Bearer carol_token"));
        assertEquals(200, response.status());
        long deadline = System.nanoTime() + 15_000_000_000L; // the flush runs every 5 s
        while (!rows.tokenUsed("carol_token")) {
            assertTrue(System.nanoTime() < deadline, "marked used within the flush interval");
            Thread.sleep(50);
        }
    }

    @Test
    void tok1NewTokenWorksOnItsFirstRequest() throws IOException {
        db.rows().user("@dave:test").token("@dave:test", "dave_token", "DAVEDEV");
        RawHttp.Response response = RawHttp.send("127.0.0.1", server.port(), "GET", WHOAMI, List.of("Authorization: Bearer dave_token"));
        assertEquals("@dave:test", response.json().get("user_id"));
    }
}
