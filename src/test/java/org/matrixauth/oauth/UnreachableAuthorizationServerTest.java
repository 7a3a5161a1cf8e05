package org.matrixauth.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.matrixauth.testing.CapturedLog;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.FilterServer;
import org.matrixauth.testing.OAuthServer;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.Registrations;
import org.matrixauth.testing.TcpProxy;

/**
 * OAU-2 while the authorization server hangs (connections accepted, nothing answered: the real
 * server behind a partitioned proxy): uncached tokens get 503 with Retry-After within the request
 * timeout, never 429 "busy" though FLOOD-3's two places are held by introspections that wait; the
 * failure is logged once and counted; cached answers are served throughout.
 */
class UnreachableAuthorizationServerTest {
    private static final int LOOKUP_PLACES = 2;
    private static final int AT_ONCE = 8;
    /** OAuthDelegationTest's request_timeout (1 s), and a margin. */
    private static final long WITHIN_MS = 2_500;

    @RegisterExtension
    static final OAuthServer authorizationServer = OAuthServer.forTestClass(OAuthDelegationTest.SECRET);

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> DatabaseKind.H2);

    @TempDir
    Path dir;

    private TcpProxy proxy;
    private FilterServer server;

    @BeforeEach
    void start() throws Exception {
        db.rows().user("@alice:test");
        proxy = new TcpProxy(authorizationServer.endpoint());
        Map<String, String> params = OAuthDelegationTest.delegation(db.jdbcUrl(), Registrations.irc(dir),
                proxy.uri().toString(), OAuthDelegationTest.SECRET);
        params.put("rc_failed_token_checks.max_concurrent_lookups", Integer.toString(LOOKUP_PLACES));
        params.put("rc_failed_token_checks.burst_count", "5");
        params.put("rc_failed_token_checks.per_second", "0.01");
        params.put("trusted_proxies", "127.0.0.1");
        server = new FilterServer().context("/", params).start();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        proxy.close();
    }

    private String token() {
        return authorizationServer.issue("alice", null, Duration.ofHours(1), OAuthDelegationTest.API);
    }

    private RawHttp.Response whoami(String token) throws IOException {
        return whoami(token, "192.0.2.1");
    }

    private RawHttp.Response whoami(String token, String clientIp) throws IOException {
        return RawHttp.send("127.0.0.1", server.port(), "GET", OAuthDelegationTest.WHOAMI,
                List.of("Authorization: Bearer " + token, "X-Forwarded-For: " + clientIp));
    }

    /** 503 M_UNKNOWN with Retry-After, within the request timeout and a margin; each token its own user's address. */
    private void unableToIntrospect(String token) throws IOException {
        long started = System.nanoTime();
        RawHttp.Response response = whoami(token, "198.51.100." + (Math.floorMod(token.hashCode(), 250) + 1));
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(503, response.status(), response.body());
        assertEquals("M_UNKNOWN", response.json().get("errcode"));
        assertEquals("Unable to introspect the access token", response.json().get("error"));
        assertEquals("1", response.header("Retry-After"));
        assertTrue(elapsedMs < WITHIN_MS, "answered in " + elapsedMs + " ms");
    }

    @Test
    @DisplayName("OAU-2 the server hangs: uncached tokens 503 with Retry-After within the timeout, not 429; logged once, counted; cached ones 200")
    void aHangingServer() throws Exception {
        String cached = token();
        assertEquals(200, whoami(cached).status(), "introspected, and cached from now on");
        List<String> uncached = new ArrayList<>();
        for (int i = 0; i < AT_ONCE + 4; i++) {
            uncached.add(token());
        }
        String log;
        try (CapturedLog captured = new CapturedLog()) {
            proxy.partition();
            ExecutorService clients = Executors.newFixedThreadPool(AT_ONCE);
            List<Future<?>> atOnce = new ArrayList<>();
            for (String token : uncached.subList(0, AT_ONCE)) {
                atOnce.add(clients.submit(() -> {
                    unableToIntrospect(token);
                    return null;
                }));
            }
            while (!atOnce.stream().allMatch(Future::isDone)) {
                assertEquals(200, whoami(cached).status(), "a cached answer while the introspections hang");
            }
            for (Future<?> answer : atOnce) {
                answer.get(10, TimeUnit.SECONDS); // rethrows what the client found
            }
            clients.shutdown();
            for (String token : uncached.subList(AT_ONCE, uncached.size())) {
                unableToIntrospect(token); // known down: at once, or one a second tries and times out
            }
            assertEquals(200, whoami(cached).status());
            proxy.heal();
            String back = token();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            int status;
            while ((status = whoami(back).status()) != 200 && System.nanoTime() < deadline) {
                assertEquals(503, status, "refused as the server is down until a probe finds it back");
            }
            assertEquals(200, status, "found back within a probe interval");
            log = captured.text();
        }
        String metrics = RawHttp.send("127.0.0.1", server.port(), "GET", "/metrics", List.of()).body();
        System.out.println("OAU-2 hanging server: log lines " + log.lines().filter(line -> line.contains("introspection")).toList());
        assertEquals(1, log.lines().filter(line -> line.contains("Token introspection failing (timeout")).count(), log);
        assertTrue(log.contains("Token introspection answering again"), log);
        for (String token : uncached) {
            assertFalse(log.contains(token), "no token in the log");
        }
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("matrix_auth_introspection_errors_total{kind=\"timeout\"} ")
                && Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) >= 1), metrics);
    }

    @Test
    @DisplayName("OAU-2 FLOOD-1 a flood refused by its bucket while the server is down cannot keep it down: the next attempt is a real user's")
    void aFloodDoesNotHoldTheServerDown() throws Exception {
        for (int guess = 0; guess < 5; guess++) {
            assertEquals(401, whoami("guess_" + guess, "203.0.113.7").status(), "the flooder's burst");
        }
        proxy.partition();
        unableToIntrospect(token()); // times out: down from now on
        ExecutorService flood = Executors.newSingleThreadExecutor();
        Future<Integer> flooding = flood.submit(() -> {
            int refused = 0;
            while (!Thread.currentThread().isInterrupted()) {
                assertEquals(429, whoami("guess_" + System.nanoTime(), "203.0.113.7").status(), "refused by its bucket");
                refused++;
            }
            return refused;
        });
        try {
            proxy.heal();
            String fresh = token();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            int status;
            while ((status = whoami(fresh).status()) != 200 && System.nanoTime() < deadline) {
                assertEquals(503, status);
            }
            assertEquals(200, status, "a real user's request found the server back within a probe interval");
            assertFalse(flooding.isDone(), "the flood went on meanwhile");
        } finally {
            flood.shutdownNow();
        }
    }
}
