package org.matrixauth.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.matrixauth.MatrixAuth;
import org.matrixauth.MatrixAuthInternals;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.servlet.RouteRules;
import org.matrixauth.store.jdbi.SynapseDatabase;
import org.matrixauth.testing.FilterServer;
import org.matrixauth.testing.ListenerWait;
import org.matrixauth.testing.PausingDataSource;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.SynapseRows;
import org.matrixauth.testing.TestDatabase;

/**
 * CACHE-3 against the race that scanning caches on a notification loses: a token lookup reads
 * the row, the token is deleted and the deletion notified while the lookup has not yet put its
 * result in the cache, then the lookup goes on. Made to happen every time: the filter's data
 * source holds the lookup after its read until the notification has been handled (a second token,
 * deleted after it in the same transaction, has been evicted: notifications arrive in order).
 * The revoked token must then be refused within the bound, not cached for {@code auth_cache.lifetime}.
 */
class LoadEvictRaceTest {
    static final String WHOAMI = "/_matrix/client/v3/account/whoami";
    static final long BOUND_MS = 1_000;
    static final String TOKEN_LOOKUP = "FROM access_tokens t JOIN users";

    private TestDatabase testDatabase;
    private HikariDataSource pool;
    private PausingDataSource dataSource;
    private MatrixAuth auth;
    private FilterServer server;

    @BeforeEach
    void start() throws Exception {
        testDatabase = TestDatabase.postgres();
        try (SynapseDatabase database = SynapseDatabase.open(testDatabase.jdbcUrl(), 1)) {
            SynapseRows rows = new SynapseRows(database.jdbi()).user("@alice:test");
            rows.token("@alice:test", "in_flight_token", "DEV1");
            rows.token("@alice:test", "marker_token", "DEV2");
            rows.allTokensUsed();
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(testDatabase.jdbcUrl());
        config.setMaximumPoolSize(4);
        pool = new HikariDataSource(config);
        dataSource = new PausingDataSource(pool);
        auth = MatrixAuth.builder(AuthConfig.load(Map.of("server_name", "test"))).dataSource(dataSource).start();
        server = new FilterServer().context("/", auth, RouteRules.parse("")).start();
        ListenerWait.untilListening(auth);
    }

    @AfterEach
    void stop() throws Exception {
        dataSource.release();
        server.close();
        auth.close();
        pool.close();
        testDatabase.close();
    }

    private RawHttp.Response whoami(String token) throws Exception {
        return RawHttp.send("127.0.0.1", server.port(), "GET", WHOAMI, List.of("Authorization: Bearer " + token));
    }

    @Test
    @DisplayName("CACHE-3: a token deleted while its lookup is in flight is refused within the bound, not cached")
    void cache3ATokenDeletedDuringItsLookupIsNotCachedByTheLookup() throws Exception {
        assertEquals(200, whoami("marker_token").status());
        dataSource.pauseNext(TOKEN_LOOKUP);
        CompletableFuture<RawHttp.Response> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return whoami("in_flight_token");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        dataSource.awaitPaused(); // the row has been read; the lookup has not finished

        try (Connection direct = DriverManager.getConnection(testDatabase.jdbcUrl()); Statement sql = direct.createStatement()) {
            direct.setAutoCommit(false);
            sql.execute("DELETE FROM access_tokens WHERE token = 'in_flight_token'");
            sql.execute("DELETE FROM access_tokens WHERE token = 'marker_token'");
            direct.commit();
        }
        long deletedAt = System.nanoTime();
        AuthCaches caches = MatrixAuthInternals.caches(auth);
        while (caches.tokens().getIfPresent("marker_token") != null) { // the in-flight token's notification came first
            assertTrue(elapsedMs(deletedAt) < 5_000, "the deletions were notified");
            Thread.sleep(5);
        }
        dataSource.release();
        assertEquals(200, inFlight.get(10, TimeUnit.SECONDS).status(), "the request that read the row before the deletion");

        while (true) {
            RawHttp.Response response = whoami("in_flight_token");
            long elapsedMs = elapsedMs(deletedAt);
            if (response.status() != 200) {
                assertEquals("M_UNKNOWN_TOKEN", response.json().get("errcode"));
                System.out.printf("CACHE-3 token deleted during its lookup refused %d ms after the deletion%n", elapsedMs);
                assertTrue(elapsedMs <= BOUND_MS, "refused only after " + elapsedMs + " ms");
                return;
            }
            assertTrue(elapsedMs <= BOUND_MS, "the deleted token is still accepted " + elapsedMs + " ms after its deletion");
            Thread.sleep(10);
        }
    }

    private static long elapsedMs(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
