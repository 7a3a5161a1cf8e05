package org.matrixauth.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.matrixauth.servlet.RouteRules;
import org.matrixauth.store.jdbi.SynapseDatabase;
import org.matrixauth.testing.FilterServer;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.SynapseRows;
import org.matrixauth.testing.TestDatabase;

/**
 * Faults: under steady load, the PostgreSQL database refuses every connection for a while (its
 * backends are terminated and new connections refused, as when the server is down), with the
 * operator's opt-in to serving cached entries through an outage ({@code
 * auth_cache.lifetime_during_outage}; without it they go when the listener is lost, see
 * {@code PartitionTest}) and MAU limiting on. Cached tokens keep being served, also while the
 * database comes back, uncached ones get 503 M_UNKNOWN with Retry-After within a second (OBS-5) as
 * JSON with neither token nor stack trace, and once the database is back every client-IP row recorded during the outage is in
 * user_ips: the counts are compared exactly. MAU bookkeeping needs the database during the
 * outage (5 users' MAU trial ends meanwhile, so they are due to be counted) and must not fail
 * their requests (TRK-6): afterwards every user is in monthly_active_users. The whole
 * log, from the filter's start, holds no token and not the database password. The outage lasts
 * {@code outage.seconds} (default 30).
 */
class DatabaseOutageTest {
    static final int OUTAGE_SECONDS = Integer.getInteger("outage.seconds", 30);
    static final int CACHED_TOKENS = 20;
    /** Users whose MAU trial ends a few seconds into the outage: counted only once it is over. */
    static final int TRIAL_USERS = 5;
    /** Registered a year ago (creation_ts is in seconds, as Synapse writes it): past any trial. */
    static final long LONG_AGO = System.currentTimeMillis() / 1000 - 365 * 86_400;
    /** Sent by the filter's pool (the test server trusts every local connection) and never to be logged. */
    static final String DB_PASSWORD = "database-password-that-must-not-leak";

    @Test
    @DisplayName("CACHE-3 opt-in, TRK-5, TRK-6, OBS-5: cached tokens are served through an outage with MAU limiting on, uncached ones told 503 at once; nothing recorded is lost")
    void cachedTokensAreServedThroughAnOutageAndNoClientIpRowIsLost() throws Exception {
        try (TestDatabase testDatabase = TestDatabase.postgres();
                SynapseDatabase database = SynapseDatabase.open(testDatabase.jdbcUrl(), 2)) {
            SynapseRows rows = new SynapseRows(database.jdbi());
            for (int i = 0; i < CACHED_TOKENS; i++) {
                rows.user("@user" + i + ":test", LONG_AGO, null, null).token("@user" + i + ":test", "cached_token_" + i, "DEV" + i);
            }
            rows.user("@late:test", LONG_AGO, null, null).token("@late:test", "uncached_token_never_seen", "LATE");
            rows.allTokensUsed();
            PrintStream originalErr = System.err;
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            FilterServer server;
            try {
                server = new FilterServer().context("/", Map.of("server_name", "test",
                        "database", testDatabase.jdbcUrl() + "&password=" + DB_PASSWORD, "trusted_proxies", "127.0.0.1",
                        "auth_cache.lifetime_during_outage", "10m",
                        "limit_usage_by_mau", "true", "max_mau_value", "1000", "mau_trial_days", "1",
                        RouteRules.INIT_PARAM, "/_matrix/client/*/account/whoami guest\n/metrics public")).start();
            } finally {
                System.setErr(originalErr);
            }
            String name = testDatabase.postgresName();
            Set<String> recorded = ConcurrentHashMap.newKeySet();
            List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            AtomicInteger served = new AtomicInteger();
            AtomicInteger ip = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);
            try {
                for (int i = 0; i < CACHED_TOKENS; i++) { // warm the cache
                    assertEquals(200, whoami(server, "cached_token_" + i, "10.0.0.1").status());
                    recorded.add(i + "|10.0.0.1");
                }
                long trialEndsAtSeconds = System.currentTimeMillis() / 1000 + 5; // some 4 s into the outage
                for (int i = 0; i < TRIAL_USERS; i++) {
                    rows.user("@trial" + i + ":test", trialEndsAtSeconds - 86_400, null, null)
                            .token("@trial" + i + ":test", "cached_token_" + (CACHED_TOKENS + i), "TRIAL" + i);
                }
                rows.allTokensUsed();
                for (int token = CACHED_TOKENS; token < CACHED_TOKENS + TRIAL_USERS; token++) {
                    assertEquals(200, whoami(server, "cached_token_" + token, "10.0.0.1").status());
                    recorded.add(token + "|10.0.0.1");
                }
                System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
                Thread load = new Thread(() -> {
                    while (running.get()) {
                        int n = ip.incrementAndGet();
                        int token = n % (CACHED_TOKENS + TRIAL_USERS);
                        String clientIp = "10.1." + (n / 250 % 250) + "." + (n % 250);
                        try {
                            RawHttp.Response response = whoami(server, "cached_token_" + token, clientIp);
                            if (response.status() == 200) {
                                served.incrementAndGet();
                                recorded.add(token + "|" + clientIp);
                            } else {
                                failures.add(System.currentTimeMillis() + " " + response.status() + " " + response.body());
                            }
                        } catch (Exception e) {
                            failures.add(System.currentTimeMillis() + " " + e);
                        }
                    }
                });
                load.start();
                Thread.sleep(1_000);
                admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
                admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
                long outageEnds = System.currentTimeMillis() + OUTAGE_SECONDS * 1_000L;
                int servedBefore = served.get();
                RawHttp.Response uncached = null;
                long slowestUncachedMs = 0;
                while (System.currentTimeMillis() < outageEnds) {
                    long sent = System.nanoTime();
                    uncached = whoami(server, "uncached_token_never_seen", "10.2.0.1");
                    slowestUncachedMs = Math.max(slowestUncachedMs, (System.nanoTime() - sent) / 1_000_000);
                    assertEquals(503, uncached.status(), uncached.body());
                    assertEquals(Map.of("errcode", "M_UNKNOWN", "error", "The database cannot be reached: try again shortly",
                            "retry_after_ms", 1000), uncached.json());
                    assertEquals("1", uncached.header("Retry-After"));
                    Thread.sleep(1_000);
                }
                assertTrue(slowestUncachedMs <= 1_000, "OBS-5: an uncached request waited " + slowestUncachedMs + " ms");
                assertTrue(served.get() - servedBefore > 100, "cached tokens kept being served: "
                        + (served.get() - servedBefore) + " during the outage");
                List<String> duringOutage = List.copyOf(failures);
                admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
                long back = System.currentTimeMillis();
                assertEquals(List.of(), duringOutage, "no cached request failed while the database was away");
                // Back: the listener reconnects (within its 5 s backoff), waits for the request pool
                // (within HikariCP's 5 s backoff), then drops the caches; cached tokens never fail.
                long deadline = back + 20_000;
                while (whoami(server, "uncached_token_never_seen", "10.2.0.2").status() != 200) {
                    assertTrue(System.currentTimeMillis() < deadline, "the filter recovers with the database");
                    Thread.sleep(200);
                }
                System.out.println("uncached tokens served again " + (System.currentTimeMillis() - back) + " ms after the"
                        + " database returned");
                Thread.sleep(12_000); // past the listener's reconnection and the drop of the kept entries
                running.set(false);
                load.join();
                assertEquals(List.of(), failures, "no cached request failed during the outage, the recovery or after it");
                recorded.add("late|10.2.0.2");
                String metrics = RawHttp.send("127.0.0.1", server.port(), "GET", "/metrics", List.of()).body();
                assertTrue(metrics.matches("(?s).*\nmatrix_auth_mau_failed_updates_total [1-9].*"),
                        "TRK-6: the MAU updates the outage refused are counted");
            } finally {
                running.set(false);
                System.setErr(originalErr);
                server.close(); // the final flush
            }
            String logged = log.toString(StandardCharsets.UTF_8);
            assertFalse(logged.contains("cached_token_") || logged.contains("uncached_token_never_seen"), "no token in the log");
            int trace = logged.indexOf("\tat ");
            assertFalse(trace >= 0, () -> "no stack trace in the log: " + logged.substring(Math.max(0, trace - 1500), trace + 300));
            assertFalse(logged.contains(DB_PASSWORD), "no database password in the log");
            assertTrue(logged.contains("matrix-auth-filter started"), "the log was captured from the start");
            assertEquals(recorded.size(), count(testDatabase, "SELECT COUNT(*) FROM user_ips"),
                    "every client-IP row recorded, before, during and after the outage");
            assertEquals(CACHED_TOKENS + TRIAL_USERS + 1, count(testDatabase, "SELECT COUNT(*) FROM monthly_active_users"),
                    "TRK-6: every user counted, those whose counting the outage deferred among them");
        }
    }

    private static RawHttp.Response whoami(FilterServer server, String token, String clientIp) throws Exception {
        return RawHttp.send("127.0.0.1", server.port(), "GET", "/_matrix/client/v3/account/whoami",
                List.of("Authorization: Bearer " + token, "X-Forwarded-For: " + clientIp));
    }

    private static void admin(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(System.getenv().getOrDefault("MATRIX_AUTH_TEST_PG_URL",
                "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres")); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(TestDatabase database, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl()); Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
