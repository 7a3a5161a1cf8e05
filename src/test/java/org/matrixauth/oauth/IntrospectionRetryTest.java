package org.matrixauth.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.FilterServer;
import org.matrixauth.testing.OAuthServer;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.Registrations;
import org.matrixauth.testing.StaleKeepAliveProxy;

/**
 * OAU-2 on a kept-alive connection closed as the next introspection goes out (a server's or a
 * proxy's idle timeout meeting the request): the real authorization server behind a proxy that
 * loses that race on every reused connection. A plain JDK client fails there (it does not send a
 * POST again by itself); the filter's introspection tries once more on a new connection.
 */
class IntrospectionRetryTest {
    private static final int TOKENS = 10;

    @RegisterExtension
    static final OAuthServer authorizationServer = OAuthServer.forTestClass(OAuthDelegationTest.SECRET);

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> DatabaseKind.H2);

    @TempDir
    Path dir;

    private StaleKeepAliveProxy proxy;
    private FilterServer server;

    @BeforeEach
    void start() throws Exception {
        db.rows().user("@alice:test");
        proxy = new StaleKeepAliveProxy(authorizationServer.endpoint());
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        proxy.close();
    }

    private String token() {
        return authorizationServer.issue("alice", null, Duration.ofHours(1), OAuthDelegationTest.API);
    }

    @Test
    @DisplayName("OAU-2 the race reproduced: a JDK client without a retry of its own fails every introspection on a reused connection")
    void withoutRetryTheRaceFails() throws Exception {
        HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int failed = 0;
        for (int i = 0; i < TOKENS; i++) {
            HttpRequest introspection = HttpRequest.newBuilder(proxy.endpoint().resolve("oauth2/introspect"))
                    .header("Authorization", "Bearer " + OAuthDelegationTest.SECRET)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(token(), StandardCharsets.UTF_8)))
                    .build();
            try {
                assertEquals(200, plain.send(introspection, HttpResponse.BodyHandlers.discarding()).statusCode());
            } catch (IOException stale) {
                failed++;
            }
        }
        System.out.println("OAU-2 without a retry: " + failed + " of " + TOKENS + " introspections failed on a stale connection");
        assertTrue(failed > 0, "the proxy closed " + proxy.closedOnRequest() + " connection(s) as a request arrived");
        assertEquals(proxy.closedOnRequest(), failed, "each closed connection failed one introspection");
    }

    @Test
    @DisplayName("OAU-2 an introspection whose connection closed before any byte of the answer is sent again once: every token 200")
    void theFilterRetriesOnce() throws Exception {
        server = new FilterServer().context("/", OAuthDelegationTest.delegation(db.jdbcUrl(), Registrations.irc(dir),
                proxy.endpoint().toString(), OAuthDelegationTest.SECRET)).start();
        int introspectionsBefore = authorizationServer.introspections();
        for (int i = 0; i < TOKENS; i++) {
            RawHttp.Response response = RawHttp.send("127.0.0.1", server.port(), "GET", OAuthDelegationTest.WHOAMI,
                    List.of("Authorization: Bearer " + token()));
            assertEquals(200, response.status(), "uncached token " + i + ": " + response.body());
        }
        System.out.println("OAU-2 with the retry: " + TOKENS + " of " + TOKENS + " answered 200; the proxy closed "
                + proxy.closedOnRequest() + " connection(s) as a request arrived");
        assertTrue(proxy.closedOnRequest() >= TOKENS - 1, "every reused connection was closed: " + proxy.closedOnRequest());
        assertEquals(introspectionsBefore + TOKENS, authorizationServer.introspections(), "one introspection reached the server per token");
    }
}
