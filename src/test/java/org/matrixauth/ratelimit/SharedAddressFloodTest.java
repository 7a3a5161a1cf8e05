package org.matrixauth.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.matrixauth.MatrixAuthInternals;
import org.matrixauth.servlet.RouteRules;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.FilterServer;
import org.matrixauth.testing.ListenerWait;
import org.matrixauth.testing.StatementLog;
import org.matrixauth.testing.IssuedTokens;

/**
 * FLOOD-1 for the users behind an address that floods (carrier NAT, an office, a bridge host):
 * through the real filter on Jetty, one address sends thousands of distinct guessed tokens while
 * real users at the same address send theirs, one still cached, one whose cache entry has ended,
 * and fresh logins never seen before. Every real request is answered 200, and the flood's queries
 * stay within the bucket.
 *
 * <p>The flood sends {@value #GUESSES} guesses by default; {@code -Dflood.seconds=20} makes it a
 * timed flood of that many seconds instead, for the figures of a longer run.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = DatabaseKind.class, names = {"H2", "POSTGRESQL"})
class SharedAddressFloodTest {
    static final int BURST = 20;
    static final int GUESSES = 3_200;
    static final String WHOAMI = "/_matrix/client/v3/account/whoami";
    static final String SHARED = "203.0.113.7";

    @Parameter
    DatabaseKind kind;

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> kind);

    private FilterServer server;
    private List<String> requestThreadStatements;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        db.rows().user("@alice:test").token("@alice:test", IssuedTokens.synapse("alice"), "ALICE");
        db.rows().user("@bob:test");
        db.rows().user("@carol:test");
        server = new FilterServer().context("/", Map.of(
                "server_name", "test",
                "database", db.jdbcUrl(),
                "trusted_proxies", "127.0.0.1, ::1",
                // A bucket that does not refill during the test: the burst is all the flood may cost.
                "rc_failed_token_checks.per_second", "0.01",
                "rc_failed_token_checks.burst_count", Integer.toString(BURST),
                "rc_failed_token_checks.max_concurrent_lookups", "4",
                // Entries stay cached unless the test evicts them, so that the queries can be counted.
                "auth_cache.lifetime_without_notifications", "10m",
                RouteRules.INIT_PARAM, "/metrics public")).start();
        ListenerWait.untilListening(server.auth("/"), db);
        requestThreadStatements = StatementLog.attachToRequestThreads(MatrixAuthInternals.jdbi(server.auth("/")));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    int whoami(String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + WHOAMI))
                .header("Authorization", "Bearer " + token)
                .header("X-Forwarded-For", SHARED)
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String newLogin(String userId, String deviceId) {
        String token = IssuedTokens.synapse(userId.substring(1, userId.indexOf(':')));
        db.rows().token(userId, token, deviceId);
        return token;
    }

    @Test
    @DisplayName("FLOOD-1 a flood from one address: its users' cached, no-longer-cached and never-seen tokens all 200; the flood costs at most the burst")
    void usersBehindAFloodingAddress() throws Exception {
        String cached = newLogin("@alice:test", "PHONE");
        String uncachedSince = newLogin("@bob:test", "LAPTOP");
        assertEquals(200, whoami(cached));
        assertEquals(200, whoami(uncachedSince));
        requestThreadStatements.clear();

        long floodSeconds = Long.getLong("flood.seconds", 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(floodSeconds);
        AtomicInteger sent = new AtomicInteger();
        Map<Integer, AtomicInteger> floodAnswers = new ConcurrentHashMap<>();
        ExecutorService flood = Executors.newFixedThreadPool(8);
        long started = System.nanoTime();
        List<Future<Object>> flooders = java.util.stream.IntStream.range(0, 8).mapToObj(thread -> flood.submit(() -> {
            while (floodSeconds > 0 ? System.nanoTime() < deadline : sent.getAndIncrement() < GUESSES) {
                if (floodSeconds > 0) {
                    sent.incrementAndGet();
                }
                floodAnswers.computeIfAbsent(whoami("guess_" + UUID.randomUUID()), status -> new AtomicInteger())
                        .incrementAndGet();
            }
            return null;
        })).toList();

        Map<String, AtomicInteger> realAnswers = new ConcurrentHashMap<>();
        AtomicLong worstMs = new AtomicLong();
        int rounds = 0;
        int freshLogins = 0;
        while (!flooders.stream().allMatch(Future::isDone)) {
            // Out of the cache, as after its lifetime (evicted here, so that the test need not wait for it).
            MatrixAuthInternals.caches(server.auth("/")).invalidateToken(uncachedSince);
            String fresh = newLogin("@carol:test", "NEW" + freshLogins++);
            for (String token : List.of(cached, uncachedSince, fresh)) {
                long sentAt = System.nanoTime();
                int status = whoami(token);
                worstMs.accumulateAndGet((System.nanoTime() - sentAt) / 1_000_000, Math::max);
                String which = token == cached ? "cached" : token == fresh ? "never seen" : "no longer cached";
                realAnswers.computeIfAbsent(which + " " + status, key -> new AtomicInteger()).incrementAndGet();
            }
            rounds++;
        }
        for (Future<Object> flooder : flooders) {
            flooder.get();
        }
        flood.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;
        int guesses = floodAnswers.values().stream().mapToInt(AtomicInteger::get).sum();
        // Each round's no-longer-cached and never-seen tokens are looked up once each; the cached one not at all.
        long floodQueries = requestThreadStatements.stream().filter(sql -> sql.contains("FROM access_tokens")).count()
                - 2L * rounds;
        System.out.printf("FLOOD-1 %s: %d guesses from %s in %.1f s answered %s, %d queries for them (bound %d);"
                        + " %d rounds of its real users' requests: %s, slowest %d ms%n",
                kind, guesses, SHARED, seconds, floodAnswers, floodQueries, BURST, rounds, realAnswers, worstMs.get());
        assertEquals(Map.of("cached 200", rounds, "no longer cached 200", rounds, "never seen 200", rounds),
                Map.copyOf(realAnswers.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                        Map.Entry::getKey, entry -> entry.getValue().get()))),
                "every real request answered 200");
        assertTrue(rounds > 0, "the real users sent requests during the flood");
        assertEquals(BURST, floodAnswers.get(401).get(), "the burst's guesses were checked");
        assertEquals(guesses - BURST, floodAnswers.get(429).get(), "the rest refused without a query");
        assertTrue(floodQueries <= BURST, floodQueries + " queries for the flood, bound " + BURST);
    }

    @Test
    @DisplayName("FLOOD-1 guesses with a fitting Synapse checksum are charged to a bucket of their own, which fresh logins then wait for")
    void checksummedGuessesAreCharged() throws Exception {
        for (int guess = 0; guess < BURST; guess++) {
            assertEquals(401, whoami(IssuedTokens.synapse("mallory")), "checksummed guess " + guess + " is within its burst");
        }
        assertEquals(429, whoami(IssuedTokens.synapse("mallory")), "then refused without a query");
        assertEquals(401, whoami("guess_" + UUID.randomUUID()), "guesses without a checksum have a bucket of their own");
        assertEquals(429, whoami(newLogin("@bob:test", "NEW")), "a fresh login waits once its kind's bucket is empty");
    }

    @Test
    @DisplayName("FLOOD-1 a token found valid, then revoked, has one check free of the bucket, then is charged as any other")
    void aRevokedTokenIsForgotten() throws Exception {
        String token = newLogin("@bob:test", "GONE");
        assertEquals(200, whoami(token), "found valid: remembered");
        for (int guess = 0; guess < BURST; guess++) {
            assertEquals(401, whoami(IssuedTokens.synapse("mallory")));
        }
        server.auth("/").accounts().deleteToken(token);
        assertEquals(401, whoami(token), "remembered, so checked though the bucket is empty");
        assertEquals(429, whoami(token), "forgotten once refused");
    }
}
