package org.matrixauth.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.matrixauth.MatrixAuthInternals;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.FilterServer;
import org.matrixauth.testing.OAuthServer;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.Registrations;

/**
 * FLOOD-1 under delegation, through the filter and a real authorization server: an introspection
 * is a costly check, so guessed tokens from one address cost at most the burst's introspections;
 * an answer the cache holds (OAU-8) costs none, and is served whatever the bucket holds, as are a
 * token found valid lately and a fresh one in MAS's shape.
 */
class OAuthFloodTest {
    private static final int BURST = 5;

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> DatabaseKind.H2);

    @TempDir
    Path dir;

    private OAuthServer authorizationServer;
    private FilterServer server;

    @BeforeEach
    void start() throws Exception {
        db.rows().user("@alice:test");
        authorizationServer = OAuthServer.start(OAuthDelegationTest.SECRET);
        Map<String, String> params = OAuthDelegationTest.delegation(db.jdbcUrl(), Registrations.irc(dir),
                authorizationServer.endpoint().toString(), OAuthDelegationTest.SECRET);
        // A bucket that does not refill during the test: the burst is exactly what guessing may cost.
        params.put("rc_failed_token_checks.burst_count", Integer.toString(BURST));
        params.put("rc_failed_token_checks.per_second", "0.01");
        server = new FilterServer().context("/", params).start();
    }

    @AfterEach
    void stop() {
        server.close();
        authorizationServer.close();
    }

    private RawHttp.Response whoami(String token) throws Exception {
        return RawHttp.send("127.0.0.1", server.port(), "GET", OAuthDelegationTest.WHOAMI,
                List.of("Authorization: Bearer " + token));
    }

    @Test
    @DisplayName("FLOOD-1 guessed tokens cost at most the burst's introspections, then 429 without one; a cached answer, one found valid lately and a fresh login are still served")
    void flood1LimitsIntrospections() throws Exception {
        String cached = authorizationServer.issue("alice", null, Duration.ofHours(1), OAuthDelegationTest.API);
        assertEquals(200, whoami(cached).status(), "introspected once, and cached from now on");
        int introspectionsBefore = authorizationServer.introspections();
        for (int guess = 0; guess < BURST; guess++) {
            assertEquals(401, whoami("guessed_" + guess).status(), "guess " + guess + " is within the burst");
        }
        assertEquals(introspectionsBefore + BURST, authorizationServer.introspections(), "each guess was introspected");
        RawHttp.Response refused = whoami("guessed_last");
        assertEquals(429, refused.status());
        assertEquals("M_LIMIT_EXCEEDED", refused.json().get("errcode"));
        assertEquals(introspectionsBefore + BURST, authorizationServer.introspections(), "the refused one was not");
        assertEquals(200, whoami(cached).status(), "a cached answer costs no check");
        String fresh = authorizationServer.issue("alice", null, Duration.ofHours(1), OAuthDelegationTest.API);
        assertEquals(200, whoami(fresh).status(), "a fresh login in MAS's shape: its checksum's bucket is not the guesses'");
        MatrixAuthInternals.caches(server.auth("/")).invalidateUser("@alice:test");
        assertEquals(200, whoami(cached).status(), "no longer cached, but found valid lately: no bucket");
        assertEquals(introspectionsBefore + BURST + 2, authorizationServer.introspections(), "each of them introspected once");
    }
}
