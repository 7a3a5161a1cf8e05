package org.matrixauth.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.matrixauth.MatrixAuth;
import org.matrixauth.spring.example.WhoamiApplication;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.RawHttp;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The library's request matrix for whoami, through the README's application (its {@code @RestController} taking a
 * {@code Requester}) on Spring Boot's embedded Tomcat, configured by {@code matrix.auth.*} alone; one subclass per
 * database and way of reaching it. Every error is checked for Matrix JSON, CORS and (401) the Bearer challenge.
 */
@SpringBootTest(classes = WhoamiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
abstract class WhoamiMatrixTestCase {
    static final String WHOAMI = "/_matrix/client/v3/account/whoami";
    private static final String ADMIN = "/_synapse/admin/v1/server_version";

    @TempDir
    static Path registrations;
    private static String seeded;

    @LocalServerPort
    int port;

    abstract DatabaseExtension db();

    /** What every subclass configures besides its database. */
    static void appServices(DynamicPropertyRegistry registry) {
        TestUsers.appServices(registry, () -> registrations);
    }

    @BeforeEach
    void seedOnce() {
        if (!db().jdbcUrl().equals(seeded)) {
            TestUsers.seed(db().rows());
            seeded = db().jdbcUrl();
        }
    }

    /**
     * What holds connections is closed here, before the database extension (whose callbacks run inside Spring's)
     * drops the database; the context's own closing, after the class, then finds them closed.
     */
    @AfterAll
    static void closeConnectionsFirst(@Autowired ApplicationContext context) throws IOException {
        closeConnections(context);
    }

    /** The filter's pool and the application's, closed ahead of the context (see above). */
    static void closeConnections(ApplicationContext context) throws IOException {
        context.getBean(MatrixAuth.class).close();
        for (DataSource pool : context.getBeansOfType(DataSource.class).values()) {
            if (pool instanceof Closeable closeable) {
                closeable.close();
            }
        }
    }

    record Case(String name, String target, List<String> headers, int status, Map<String, Object> body) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case ok(String name, String target, String token, Object... body) {
        return new Case(name, target, bearer(token), 200, map(body));
    }

    private static Case fails(String name, String target, String token, int status, Object... fields) {
        return new Case(name, target, bearer(token), status, map(fields));
    }

    private static List<String> bearer(String token) {
        return token == null ? List.of() : List.of("Authorization: Bearer " + token);
    }

    private static Map<String, Object> map(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    static Stream<Case> cases() {
        return Stream.of(
                ok("TOK-1 valid token", WHOAMI, "alice_token",
                        "user_id", TestUsers.ALICE, "is_guest", false, "device_id", "ALICEDEV"),
                ok("EXT-1 token in the query", WHOAMI + "?access_token=alice_token", null,
                        "user_id", TestUsers.ALICE, "is_guest", false, "device_id", "ALICEDEV"),
                ok("r0 path", "/_matrix/client/r0/account/whoami", "alice_token",
                        "user_id", TestUsers.ALICE, "is_guest", false, "device_id", "ALICEDEV"),
                fails("EXT-5 missing token", WHOAMI, null, 401, "errcode", "M_MISSING_TOKEN", "error", "Missing access token"),
                fails("TOK-2 unknown token", WHOAMI, "bogus", 401,
                        "errcode", "M_UNKNOWN_TOKEN", "error", "Unrecognised access token", "soft_logout", false),
                fails("TOK-3 expired token is a soft logout", WHOAMI, "expired_token", 401,
                        "errcode", "M_UNKNOWN_TOKEN", "error", "Access token has expired", "soft_logout", true),
                ok("TOK-5 guest where guests are allowed", WHOAMI, "guest_token",
                        "user_id", "@guest1:example.org", "is_guest", true, "device_id", "GUESTDEV"),
                fails("TOK-5 guest where guests are refused", "/_matrix/client/v3/devices", "guest_token", 403,
                        "errcode", "M_GUEST_ACCESS_FORBIDDEN", "error", "Guest access not allowed"),
                ok("AS-3 appservice as its sender", WHOAMI, "as_irc_token", "user_id", "@_irc_bot:example.org", "is_guest", false),
                ok("AS-4 appservice with user_id", WHOAMI + "?user_id=%40_irc_bob%3Aexample.org", "as_irc_token",
                        "user_id", "@_irc_bob:example.org", "is_guest", false),
                fails("AS-4 appservice with a user_id outside its namespace", WHOAMI + "?user_id=@alice:example.org",
                        "as_irc_token", 403, "errcode", "M_FORBIDDEN"),
                ok("REQ-2 public route without a token", "/_matrix/client/versions", null, "versions", List.of("v1.11")),
                ok("REQ-2 public route ignores a bad token", "/_matrix/client/versions", "bogus", "versions", List.of("v1.11")),
                fails("REQ-2 admin route refuses a non-admin", ADMIN, "alice_token", 403,
                        "errcode", "M_FORBIDDEN", "error", "You are not a server admin"),
                ok("REQ-2 admin route lets an admin in", ADMIN, "admin_token", "server_version", "test", "asked_by", "@admin:example.org"),
                fails("REQ-2 unlisted route needs a token", "/_matrix/client/v3/devices", null, 401, "errcode", "M_MISSING_TOKEN"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matrix(Case c) throws IOException {
        RawHttp.Response response = RawHttp.send("127.0.0.1", port, "GET", c.target(), new ArrayList<>(c.headers()));
        assertEquals(c.status(), response.status(), response.body());
        Map<String, Object> body = response.json();
        if (c.status() == 200) {
            assertEquals(c.body(), body);
            return;
        }
        c.body().forEach((field, expected) -> assertEquals(expected, body.get(field), field + " in " + body));
        assertTrue(body.get("error") instanceof String, "ERR-1: every error has a message");
        assertTrue(response.header("content-type").startsWith("application/json"), "ERR-1: JSON");
        assertEquals("*", response.header("access-control-allow-origin"), "ERR-1: CORS");
        if (c.status() == 401) {
            assertNotNull(response.header("www-authenticate"), "ERR-2: 401 carries a challenge");
        }
    }
}
