package org.matrixauth.cache;

import org.matrixauth.MatrixAuthInternals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.matrixauth.servlet.RouteRules;
import org.matrixauth.store.jdbi.SynapseDatabase;
import org.matrixauth.testing.ListenerWait;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.FilterServer;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.SynapseRows;

/**
 * CACHE-3: two nodes (two embedded Jetty servers, each with its own filter and caches) on one
 * PostgreSQL database. A change made by plain SQL on a third connection, as Synapse or an
 * operator would make it, is refused by both within one second, whether or not their listening
 * connections were just killed.
 */
class MultiNodeCacheTest {
    static final String WHOAMI = "/_matrix/client/v3/account/whoami";
    static final String ADMIN = "/_synapse/admin/v1/users/@alice:test";
    static final long BOUND_MS = 1_000;

    /** PostgreSQL only: the nodes learn of changes through its notifications (LISTEN), which H2 lacks. */
    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> DatabaseKind.POSTGRESQL);
    private FilterServer node1;
    private FilterServer node2;

    @BeforeEach
    void start() throws Exception {
        SynapseRows rows = db.rows();
        rows.user("@alice:test").token("@alice:test", "alice_token", "DEV");
        rows.user("@admin:test", true, false).token("@admin:test", "admin_token", "ADEV");
        Map<String, String> config = Map.of("server_name", "test", "database", db.jdbcUrl(),
                RouteRules.INIT_PARAM, "/_synapse/admin/** admin");
        node1 = new FilterServer().context("/", config).start();
        node2 = new FilterServer().context("/", config).start();
        ListenerWait.untilListening(node1.auth("/"), db);
        ListenerWait.untilListening(node2.auth("/"), db);
    }

    @AfterEach
    void stop() throws Exception {
        node1.close();
        node2.close();
    }

    private static RawHttp.Response get(FilterServer node, String path, String token) throws Exception {
        return RawHttp.send("127.0.0.1", node.port(), "GET", path, List.of("Authorization: Bearer " + token));
    }

    /** Both nodes answer the request from their caches. */
    private void warm(String path, String token) throws Exception {
        for (FilterServer node : List.of(node1, node2)) {
            assertEquals(200, get(node, path, token).status());
            long hits = MatrixAuthInternals.caches(node.auth("/")).tokens().stats().hitCount();
            assertEquals(200, get(node, path, token).status());
            assertTrue(MatrixAuthInternals.caches(node.auth("/")).tokens().stats().hitCount() > hits, "served from the cache");
        }
    }

    /** A third connection, neither node's: plain SQL. */
    private void sql(String statement) {
        db.execute(statement);
    }

    private void killListeners() {
        sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                + SynapseDatabase.DEDICATED_CONNECTION_NAME + "' AND datname = current_database()");
    }

    /** Polls both nodes until they answer with the errcode; fails past the bound. */
    private void bothRefuseWithin(String path, String token, String errcode) throws Exception {
        long start = System.nanoTime();
        for (FilterServer node : List.of(node1, node2)) {
            while (true) {
                RawHttp.Response response = get(node, path, token);
                if (response.status() != 200) {
                    assertEquals(errcode, response.json().get("errcode"));
                    break;
                }
                long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                assertTrue(elapsedMs <= BOUND_MS, "still accepted after " + elapsedMs + " ms");
                Thread.sleep(10);
            }
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("CACHE-3 %s refused by both nodes %d ms after the change%n", errcode, elapsedMs);
        assertTrue(elapsedMs <= BOUND_MS, "refused by both only after " + elapsedMs + " ms");
    }

    @ParameterizedTest(name = "listeners killed first: {0}")
    @ValueSource(booleans = {false, true})
    void cache3DeletedTokenIsRefusedByBothNodesWithinOneSecond(boolean killListenersFirst) throws Exception {
        warm(WHOAMI, "alice_token");
        if (killListenersFirst) {
            killListeners();
        }
        sql("DELETE FROM access_tokens WHERE token = 'alice_token'");
        bothRefuseWithin(WHOAMI, "alice_token", "M_UNKNOWN_TOKEN");
    }

    @ParameterizedTest(name = "listeners killed first: {0}")
    @ValueSource(booleans = {false, true})
    void cache3LockedUserIsRefusedByBothNodesWithinOneSecond(boolean killListenersFirst) throws Exception {
        warm(WHOAMI, "alice_token");
        if (killListenersFirst) {
            killListeners();
        }
        sql("UPDATE users SET locked = TRUE WHERE name = '@alice:test'");
        bothRefuseWithin(WHOAMI, "alice_token", "M_USER_LOCKED");
    }

    @ParameterizedTest(name = "listeners killed first: {0}")
    @ValueSource(booleans = {false, true})
    void cache3RemovedAdminFlagIsRefusedByBothNodesWithinOneSecond(boolean killListenersFirst) throws Exception {
        warm(ADMIN, "admin_token");
        if (killListenersFirst) {
            killListeners();
        }
        sql("UPDATE users SET admin = 0 WHERE name = '@admin:test'");
        bothRefuseWithin(ADMIN, "admin_token", "M_FORBIDDEN");
    }

    @Test
    void cache3ListenersReconnectAndNotificationsResume() throws Exception {
        killListeners();
        ListenerWait.untilLost(node1.auth("/"));
        ListenerWait.untilListening(node1.auth("/"), db);
        ListenerWait.untilListening(node2.auth("/"), db);
        warm(WHOAMI, "alice_token");
        sql("DELETE FROM access_tokens WHERE token = 'alice_token'");
        bothRefuseWithin(WHOAMI, "alice_token", "M_UNKNOWN_TOKEN");
    }

    @Test
    void cache4ATokenInsertedBySqlWorksOnBothNodesOnItsFirstRequest() throws Exception {
        assertEquals(401, get(node1, WHOAMI, "brand_new_token").status());
        sql("INSERT INTO access_tokens (id, user_id, device_id, token) VALUES (77, '@alice:test', 'NEW', 'brand_new_token')");
        assertEquals(200, get(node1, WHOAMI, "brand_new_token").status());
        assertEquals(200, get(node2, WHOAMI, "brand_new_token").status());
    }
}
