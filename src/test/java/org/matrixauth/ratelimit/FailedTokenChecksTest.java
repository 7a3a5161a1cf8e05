package org.matrixauth.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.matrixauth.MatrixAuthInternals;
import org.matrixauth.servlet.RouteRules;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.FilterServer;
import org.matrixauth.testing.ListenerWait;
import org.matrixauth.testing.StatementLog;

/**
 * FLOOD-1..4 through the real filter on Jetty and PostgreSQL: clients are told apart by the address
 * a trusted proxy forwards (TRK-2), as behind a load balancer.
 */
class FailedTokenChecksTest {
    static final int BURST = 20;
    static final double PER_SECOND = 5;
    static final String WHOAMI = "/_matrix/client/v3/account/whoami";
    static final String FLOODER = "203.0.113.7";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> DatabaseKind.POSTGRESQL);

    private FilterServer server;
    private List<String> requestThreadStatements;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    void start(int maxConcurrentLookups) throws Exception {
        start(maxConcurrentLookups, PER_SECOND);
    }

    void start(int maxConcurrentLookups, double perSecond) throws Exception {
        db.rows().user("@alice:test").token("@alice:test", "alice_token", "DEV");
        for (int i = 0; i < 40; i++) {
            db.rows().user("@user" + i + ":test").token("@user" + i + ":test", "token_" + i, "DEV");
        }
        server = new FilterServer().context("/", Map.of(
                "server_name", "test",
                "database", db.jdbcUrl(),
                "trusted_proxies", "127.0.0.1, ::1",
                "rc_failed_token_checks.per_second", Double.toString(perSecond),
                "rc_failed_token_checks.burst_count", Integer.toString(BURST),
                "rc_failed_token_checks.max_concurrent_lookups", Integer.toString(maxConcurrentLookups),
                RouteRules.INIT_PARAM, "/metrics public")).start();
        // Entries cached before the change listener is up live only lifetime_without_notifications
        // (1 s): theBulkhead's cached token must outlive its wait for the stuck lookups.
        ListenerWait.untilListening(server.auth("/"), db);
        requestThreadStatements = StatementLog.attachToRequestThreads(MatrixAuthInternals.jdbi(server.auth("/")));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    record Answer(int status, JsonNode json, String retryAfter) {}

    Answer whoami(String token, String clientIp) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + WHOAMI))
                .header("Authorization", "Bearer " + token)
                .header("X-Forwarded-For", clientIp)
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()),
                response.headers().firstValue("Retry-After").orElse(null));
    }

    @Test
    @DisplayName("FLOOD-1 5,000 guessed tokens from one address cost at most burst + rate x seconds queries; real users unaffected")
    void aFloodFromOneAddress() throws Exception {
        start(5);
        assertEquals(200, whoami("alice_token", FLOODER).status(), "alice's token is cached from now on");
        requestThreadStatements.clear();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger unknown = new AtomicInteger();
        Map<String, Integer> otherStatuses = new ConcurrentHashMap<>();
        ExecutorService flood = Executors.newFixedThreadPool(8);
        long started = System.nanoTime();
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            sent.add(flood.submit(() -> {
                Answer answer = whoami("guess_" + UUID.randomUUID(), FLOODER);
                if (answer.status() == 429) {
                    assertEquals("M_LIMIT_EXCEEDED", answer.json().path("errcode").asText());
                    assertTrue(answer.json().path("retry_after_ms").asLong() > 0);
                    assertTrue(Long.parseLong(answer.retryAfter()) >= 1);
                    refused.incrementAndGet();
                } else if (answer.status() == 401) {
                    unknown.incrementAndGet();
                } else {
                    otherStatuses.merge(answer.status() + "", 1, Integer::sum);
                }
                return null;
            }));
        }
        int honest = 0;
        while (!sent.stream().allMatch(Future::isDone)) {
            assertEquals(200, whoami("alice_token", FLOODER).status(), "a cached token from the flooding address");
            assertEquals(200, whoami("token_" + (honest % 40), "198.51.100." + (honest % 40 + 1)).status(),
                    "an uncached token from another address");
            honest++;
        }
        for (Future<?> request : sent) {
            request.get();
        }
        flood.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;
        long floodQueries = requestThreadStatements.stream().filter(sql -> sql.contains("FROM access_tokens"))
                .count() - Math.min(honest, 40);
        long bound = BURST + (long) Math.ceil(PER_SECOND * seconds);
        System.out.printf("FLOOD-1: 5000 guessed tokens in %.1f s: %d queries (bound %d), %d answered 401, %d answered 429;"
                + " %d honest pairs of requests answered 200%n", seconds, floodQueries, bound, unknown.get(), refused.get(), honest);
        assertEquals(Map.of(), otherStatuses);
        assertTrue(floodQueries <= bound, floodQueries + " queries, bound " + bound);
        assertEquals(5_000, refused.get() + unknown.get());
        assertTrue(unknown.get() <= bound);
        assertEquals(refused.get(), refusedInMetrics("rate") + refusedInMetrics("busy"), "refusals are counted by reason");
    }

    private long refusedInMetrics(String reason) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String line = "matrix_auth_failed_token_checks_refused_total{reason=\"" + reason + "\"} ";
        return metrics.lines().filter(l -> l.startsWith(line)).mapToLong(l -> (long) Double.parseDouble(l.substring(line.length())))
                .sum();
    }

    @Test
    @DisplayName("FLOOD-2 IPv6: addresses rotating within one /64 share one bucket, another /64 does not")
    void ipv6ByPrefix() throws Exception {
        // A bucket that refills once in 100 s: at 5 a second, a refill between the last guess and the
        // rotated address's (one request apart, 200 ms between refills) let the rotated one through now and then.
        start(5, 0.01);
        for (int guess = 0; guess < BURST; guess++) {
            assertEquals(401, whoami("guess_" + guess, "2001:db8:1:2::" + Integer.toHexString(guess + 1)).status(),
                    "guess " + guess + " is within the burst");
        }
        Answer rotated = whoami("guess_next", "2001:db8:1:2:ffff:ffff:ffff:fffe");
        assertEquals(429, rotated.status(), "yet another address of the same /64");
        assertEquals(401, whoami("guess_next", "2001:db8:1:3::1").status(), "another /64");
        assertEquals(401, whoami("guess_next", "203.0.113.9").status(), "an IPv4 address");
    }

    @Test
    @DisplayName("FLOOD-3 with lookups stuck, at most max_concurrent_lookups wait on the database; the rest 429 at once; cached tokens served")
    void theBulkhead() throws Exception {
        int limit = 2;
        start(limit);
        assertEquals(200, whoami("alice_token", "192.0.2.1").status());
        try (Connection locker = DriverManager.getConnection(db.jdbcUrl()); Statement lock = locker.createStatement()) {
            locker.setAutoCommit(false);
            lock.execute("LOCK TABLE access_tokens IN ACCESS EXCLUSIVE MODE"); // every token lookup now waits
            ExecutorService clients = Executors.newFixedThreadPool(30);
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String address = "192.0.2." + (i + 10);
                String token = "guess_" + i;
                answers.add(clients.submit(() -> whoami(token, address)));
            }
            long deadline = System.currentTimeMillis() + 5_000;
            int waiting = 0;
            while (System.currentTimeMillis() < deadline && (waiting = waitingLookups()) < limit) {
                Thread.sleep(20);
            }
            long busy = 0;
            while (System.currentTimeMillis() < deadline && (busy = answers.stream().filter(Future::isDone).count()) < 30 - limit) {
                Thread.sleep(20); // until the others' wait for a place has ended
            }
            int waitingNow = waitingLookups();
            assertEquals(200, whoami("alice_token", "192.0.2.200").status(), "a cached token needs no lookup");
            System.out.println("FLOOD-3: " + waitingNow + " lookup(s) waiting on the locked table, limit " + limit
                    + "; the other " + busy + " of 30 answered 429 while it held");
            assertEquals(limit, waitingNow);
            assertEquals(30 - limit, busy);
            locker.rollback();
            int refusedBusy = 0;
            for (Future<Answer> answer : answers) {
                Answer done = answer.get(10, TimeUnit.SECONDS);
                if (done.status() == 429) {
                    refusedBusy++;
                    assertEquals(1_000, done.json().path("retry_after_ms").asLong());
                } else {
                    assertEquals(401, done.status(), "the waiting lookups finish once the lock goes, never a pool timeout");
                }
            }
            assertEquals(30 - limit, refusedBusy);
            clients.shutdown();
        }
    }

    /** Token lookups of this test's database waiting on a lock. */
    private int waitingLookups() throws Exception {
        try (Connection admin = DriverManager.getConnection(db.jdbcUrl()); Statement query = admin.createStatement();
             ResultSet rows = query.executeQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                     + " AND wait_event_type = 'Lock' AND query LIKE '%FROM access_tokens%'")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
