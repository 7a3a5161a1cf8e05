package org.matrixauth.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.matrixauth.MatrixAuth;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.servlet.RouteRules;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.FilterServer;
import org.matrixauth.testing.MutableClock;
import org.matrixauth.testing.OAuthServer;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.Registrations;

/**
 * OAU-2 when the authorization server fails: stopped, slow beyond {@code request_timeout}, answering
 * 500, not JSON, or 2 MiB. Each is 503 M_UNKNOWN as JSON, quickly, never 401 or 500; a token whose
 * answer is cached keeps working while the server is down, until its entry's lifetime ends.
 */
class OAuthFailureTest {
    private static final Duration LIFETIME = Duration.ofSeconds(2);

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> DatabaseKind.H2);

    @TempDir
    Path dir;

    private OAuthServer authorizationServer;
    private final MutableClock clock = new MutableClock(System.currentTimeMillis());
    private MatrixAuth auth;
    private FilterServer server;

    @BeforeEach
    void start() throws Exception {
        db.rows().user("@alice:test");
        authorizationServer = OAuthServer.start(OAuthDelegationTest.SECRET);
        Map<String, String> params = OAuthDelegationTest.delegation(db.jdbcUrl(), Registrations.irc(dir),
                authorizationServer.endpoint().toString(), OAuthDelegationTest.SECRET);
        params.put("matrix_authentication_service.introspection_cache_lifetime", LIFETIME.toMillis() + "");
        auth = MatrixAuth.builder(AuthConfig.load(params)).clock(clock).start();
        server = new FilterServer().context("/", auth, RouteRules.parse(params.get(RouteRules.INIT_PARAM))).start();
    }

    @AfterEach
    void stop() {
        server.close();
        auth.close();
        authorizationServer.close();
    }

    private String token() {
        return authorizationServer.issue("alice", null, Duration.ofHours(1), OAuthDelegationTest.API);
    }

    private RawHttp.Response whoami(String token) throws Exception {
        return RawHttp.send("127.0.0.1", server.port(), "GET", OAuthDelegationTest.WHOAMI,
                List.of("Authorization: Bearer " + token));
    }

    /** 503 M_UNKNOWN as JSON, within the request timeout (1 s) and a margin. */
    private void unableToIntrospect(String token) throws Exception {
        long started = System.nanoTime();
        RawHttp.Response response = whoami(token);
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(503, response.status(), response.body());
        assertEquals("application/json", response.header("Content-Type").split(";")[0]);
        assertEquals("M_UNKNOWN", response.json().get("errcode"));
        assertEquals("Unable to introspect the access token", response.json().get("error"));
        assertTrue(elapsedMs < 3_000, "answered in " + elapsedMs + " ms");
    }

    @ParameterizedTest(name = "OAU-2 the server {0}")
    @EnumSource(value = OAuthServer.Fault.class, names = {"SLOW", "STATUS_500", "NOT_JSON", "HUGE"})
    void aFailingServerIs503(OAuthServer.Fault fault) throws Exception {
        String token = token();
        authorizationServer.fault(fault);
        unableToIntrospect(token);
        authorizationServer.fault(OAuthServer.Fault.NONE);
        assertEquals(200, whoami(token).status(), "the failure was not cached (OAU-8)");
    }

    @Test
    @DisplayName("OAU-2 OAU-8 the server stopped: uncached tokens 503, cached ones served until their entry ends")
    void aStoppedServer() throws Exception {
        String cached = token();
        String uncached = token();
        assertEquals(200, whoami(cached).status());
        authorizationServer.close();
        unableToIntrospect(uncached);
        assertEquals(200, whoami(cached).status(), "a cached answer keeps working while the server is down");
        clock.advance(LIFETIME.toMillis() + 1);
        unableToIntrospect(cached);
        String metrics = RawHttp.send("127.0.0.1", server.port(), "GET", "/metrics", List.of()).body();
        assertTrue(metrics.contains("matrix_auth_introspection_errors_total{kind=\"transport\"}"), metrics);
    }
}
