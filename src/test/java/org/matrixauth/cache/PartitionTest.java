package org.matrixauth.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.matrixauth.MatrixAuth;
import org.matrixauth.MatrixAuthInternals;
import org.matrixauth.store.jdbi.SynapseDatabase;
import org.matrixauth.testing.CapturedLog;
import org.matrixauth.testing.FilterServer;
import org.matrixauth.testing.ListenerWait;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.SynapseRows;
import org.matrixauth.testing.TcpProxy;
import org.matrixauth.testing.TestDatabase;

/**
 * CACHE-3 in a silent network partition: the node reaches PostgreSQL only through a TCP proxy
 * that stops forwarding without closing anything, so no error ever arrives, while Synapse (here:
 * plain SQL on a direct connection) deletes a token the node has cached. The node hears nothing
 * of it, so it must find out by itself that it is no longer told of changes, and apply the rule:
 * by default its cached entries go at once (the bound holds); with
 * {@code auth_cache.lifetime_during_outage} they are served that long, then refused. Either way
 * it logs the lost listener, and {@code close()} returns within seconds although nothing answers.
 */
class PartitionTest {
    static final String WHOAMI = "/_matrix/client/v3/account/whoami";
    static final long BOUND_MS = 1_000;
    static final long CLOSE_WITHIN_MS = 8_000;

    private TestDatabase testDatabase;
    private TcpProxy proxy;
    private CapturedLog log;
    private FilterServer node;

    @BeforeEach
    void database() throws Exception {
        testDatabase = TestDatabase.postgres();
        try (SynapseDatabase database = SynapseDatabase.open(testDatabase.jdbcUrl(), 1)) {
            SynapseRows rows = new SynapseRows(database.jdbi()).user("@alice:test");
            rows.token("@alice:test", "alice_token", "DEV");
            rows.allTokensUsed();
        }
        proxy = new TcpProxy(testDatabase.jdbcUrl());
        log = new CapturedLog();
    }

    @AfterEach
    void stop() throws Exception {
        log.close();
        if (node != null) {
            node.close();
        }
        proxy.close();
        testDatabase.close();
    }

    /** A node whose pool and listener both go through the proxy; its cache holds Alice's token. */
    private MatrixAuth startNode(Map<String, String> extra) throws Exception {
        Map<String, String> config = new HashMap<>(Map.of("server_name", "test", "database", proxy.jdbcUrl()));
        config.putAll(extra);
        node = new FilterServer().context("/", config).start();
        MatrixAuth auth = node.auth("/");
        ListenerWait.untilListening(auth);
        assertEquals(200, whoami().status());
        assertEquals(200, whoami().status());
        return auth;
    }

    private RawHttp.Response whoami() throws Exception {
        return RawHttp.send("127.0.0.1", node.port(), "GET", WHOAMI, List.of("Authorization: Bearer alice_token"));
    }

    /** Partitions the node from the database, then deletes the token the node has cached. */
    private long partitionAndDeleteToken() {
        proxy.partition();
        testDatabase.execute("DELETE FROM access_tokens WHERE token = 'alice_token'");
        return System.nanoTime();
    }

    /** When the node stopped counting on notifications, measured from {@code since}. */
    private static Thread watchNotified(MatrixAuth auth, long since, AtomicLong lostAfterMs) {
        Thread watcher = new Thread(() -> {
            while (MatrixAuthInternals.caches(auth).notified() && elapsedMs(since) < 10_000) {
                Thread.onSpinWait();
            }
            lostAfterMs.set(elapsedMs(since));
        });
        watcher.start();
        return watcher;
    }

    /** Polls until the node refuses the token; returns when (after {@code since}) the refused request was sent. */
    private RawHttp.Response firstRefusal(long since, long acceptedUntilMs, long[] sentAfterMs) throws Exception {
        while (true) {
            long sentMs = elapsedMs(since);
            RawHttp.Response response = whoami();
            if (response.status() != 200) {
                sentAfterMs[0] = sentMs;
                return response;
            }
            assertTrue(sentMs <= acceptedUntilMs, "the deleted token is still accepted " + sentMs + " ms after its deletion");
            Thread.sleep(10);
        }
    }

    private long closeNodeMs() {
        long start = System.nanoTime();
        node.close();
        node = null;
        return elapsedMs(start);
    }

    @Test
    @DisplayName("CACHE-3: in a silent partition a token deleted elsewhere is refused within the bound; close() returns in seconds")
    void cache3PartitionedNodeRefusesADeletedTokenWithinTheBound() throws Exception {
        MatrixAuth auth = startNode(Map.of());
        long deletedAt = partitionAndDeleteToken();
        AtomicLong lostAfterMs = new AtomicLong();
        Thread watcher = watchNotified(auth, deletedAt, lostAfterMs);
        long[] sentAfterMs = new long[1];
        RawHttp.Response refused = firstRefusal(deletedAt, BOUND_MS, sentAfterMs);
        long answeredAfterMs = elapsedMs(deletedAt);
        watcher.join();
        assertNotEquals(200, refused.status());
        assertTrue(log.text().contains("Change notifications lost (no sign of life from the listening connection"),
                "the lost listener is logged");
        long closeMs = closeNodeMs();
        System.out.printf("CACHE-3 partition: listener found lost %d ms after the deletion; the first request refused"
                        + " (%d %s) was sent %d ms after it and answered after %d ms; close() took %d ms%n",
                lostAfterMs.get(), refused.status(), refused.json().get("errcode"), sentAfterMs[0], answeredAfterMs, closeMs);
        assertTrue(sentAfterMs[0] <= BOUND_MS, "refused from " + sentAfterMs[0] + " ms on");
        assertTrue(closeMs <= CLOSE_WITHIN_MS, "close() took " + closeMs + " ms");
    }

    @Test
    @DisplayName("CACHE-3 with auth_cache.lifetime_during_outage: a partitioned node serves cached tokens that long, then refuses them")
    void cache3OptInKeepsCachedTokensThroughAPartitionForItsLifetimeOnly() throws Exception {
        long keepMs = 2_000;
        MatrixAuth auth = startNode(Map.of("auth_cache.lifetime_during_outage", Long.toString(keepMs)));
        long deletedAt = partitionAndDeleteToken();
        AtomicLong lostAfterMs = new AtomicLong();
        Thread watcher = watchNotified(auth, deletedAt, lostAfterMs);
        watcher.join();
        Thread.sleep(Math.max(0, BOUND_MS + 200 - elapsedMs(deletedAt)));
        assertEquals(200, whoami().status(), "past the bound the cached token is still served: the operator's trade-off");
        long[] sentAfterMs = new long[1];
        RawHttp.Response refused = firstRefusal(deletedAt, lostAfterMs.get() + keepMs + BOUND_MS, sentAfterMs);
        assertTrue(log.text().contains("cached entries are kept for at most " + keepMs + " ms"), "the rule is logged");
        long closeMs = closeNodeMs();
        System.out.printf("CACHE-3 partition, lifetime_during_outage %d ms: listener found lost %d ms after the deletion;"
                        + " cached token served until the request sent %d ms after it was refused (%d); close() took %d ms%n",
                keepMs, lostAfterMs.get(), sentAfterMs[0], refused.status(), closeMs);
        assertTrue(closeMs <= CLOSE_WITHIN_MS, "close() took " + closeMs + " ms");
    }

    private RawHttp.Response whoami(String token) throws Exception {
        return RawHttp.send("127.0.0.1", node.port(), "GET", WHOAMI, List.of("Authorization: Bearer " + token));
    }

    @Test
    @DisplayName("OBS-5: in a silent partition the node says within 2 s that it cannot serve, answers requests that need"
            + " the database 503 with Retry-After within 1 s, and both recover within 2 s of the network's return")
    void obs5FastAnswersAndRecoveryInASilentPartition() throws Exception {
        MatrixAuth auth = startNode(Map.of());
        assertTrue(auth.health().canServe(), auth.health().toString());
        proxy.partition();
        long silentAt = System.nanoTime();
        long worstMs = 0;
        int answered = 0;
        long unreadyAfterMs = -1;
        while (elapsedMs(silentAt) < 3_000) {
            long sent = System.nanoTime();
            RawHttp.Response refused = whoami("syt_dW5rbm93bg_never_seen_" + answered);
            long tookMs = elapsedMs(sent);
            worstMs = Math.max(worstMs, tookMs);
            answered++;
            assertEquals(503, refused.status(), refused.body());
            assertEquals("M_UNKNOWN", refused.json().get("errcode"));
            assertEquals("1", refused.header("Retry-After"));
            if (unreadyAfterMs < 0 && !auth.health().canServe()) {
                unreadyAfterMs = elapsedMs(silentAt);
            }
        }
        assertTrue(unreadyAfterMs >= 0 && unreadyAfterMs <= 2_000, "unready after " + unreadyAfterMs + " ms");
        assertTrue(worstMs <= 1_000, "a request waited " + worstMs + " ms for its 503");
        String problem = auth.health().checks().get(0).problem();
        assertTrue(problem.startsWith("unreachable for"), problem);

        proxy.heal();
        long back = System.nanoTime();
        while (!auth.health().canServe()) {
            assertTrue(elapsedMs(back) <= 2_000, "still unready " + elapsedMs(back) + " ms after the network came back");
            Thread.sleep(10);
        }
        long readyAfterMs = elapsedMs(back);
        while (whoami().status() != 200) {
            assertTrue(elapsedMs(back) <= 2_000, "Alice still refused " + elapsedMs(back) + " ms after the network came back");
            Thread.sleep(10);
        }
        long servedAfterMs = elapsedMs(back);
        assertTrue(log.text().contains("The database cannot be reached"), "the outage is logged");
        System.out.printf("OBS-5 partition: unready %d ms after the silence began; %d requests answered 503, the slowest"
                        + " in %d ms; ready again %d ms and Alice served %d ms after the network came back%n",
                unreadyAfterMs, answered, worstMs, readyAfterMs, servedAfterMs);
    }

    @Test
    @DisplayName("OBS-5, TOK-6: a token's first use is served though its mark cannot be written in time; the mark is"
            + " written once the database answers")
    void obs5Tok6FirstUseDoesNotDependOnTheMark() throws Exception {
        testDatabase.execute("UPDATE access_tokens SET used = FALSE");
        // The mark's UPDATE gets no answer in time and changes nothing: as a write that never reached the server.
        testDatabase.execute("CREATE FUNCTION slow_mark() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN PERFORM pg_sleep(2); RETURN NULL; END $$");
        testDatabase.execute("CREATE TRIGGER slow_mark BEFORE UPDATE ON access_tokens FOR EACH ROW EXECUTE FUNCTION slow_mark()");
        node = new FilterServer().context("/", Map.of("server_name", "test", "database", proxy.jdbcUrl())).start();
        assertEquals(200, whoami().status(), "served though the mark timed out");
        testDatabase.execute("DROP TRIGGER slow_mark ON access_tokens");
        long dropped = System.nanoTime();
        while (!markedUsed()) {
            assertTrue(elapsedMs(dropped) < 15_000, "the mark is written once the database answers");
            Thread.sleep(100);
        }
        assertEquals(200, whoami().status());
    }

    private boolean markedUsed() throws SQLException {
        try (Connection connection = DriverManager.getConnection(testDatabase.jdbcUrl());
             ResultSet used = connection.createStatement().executeQuery(
                     "SELECT used FROM access_tokens WHERE token = 'alice_token'")) {
            return used.next() && used.getBoolean(1);
        }
    }

    private static long elapsedMs(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
