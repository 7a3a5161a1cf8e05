package org.matrixauth.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.matrixauth.MatrixAuthInternals;
import org.matrixauth.servlet.RouteRules;
import org.matrixauth.testing.CapturedLog;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.FilterServer;
import org.matrixauth.testing.ListenerWait;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.SynapseRows;

/**
 * CACHE-5, CACHE-6: two nodes beside Synapse, on a database Synapse created (1.50's schema, and
 * the same with today's {@code users.locked}), with no trigger of ours and entries that would
 * otherwise live ten minutes. Each change is written as Synapse writes it: the row change and its
 * {@code cache_invalidation_stream_by_instance} rows in one transaction, ids from Synapse's
 * sequence, instance {@code master}; the function each case follows is named in it.
 */
class SynapseInvalidationStreamTest {
    static final String WHOAMI = "/_matrix/client/v3/account/whoami";
    static final String ADMIN = "/_synapse/admin/v2/users/@alice:test";
    static final long BOUND_MS = 1_000;

    /** The two schemas Synapse leaves: 1.50's, and today's with {@code users.locked} and {@code users.suspended}. */
    enum Schema {
        SYNAPSE_1_50, TODAYS_COLUMNS
    }

    private Schema schema;

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> DatabaseKind.SYNAPSE_1_50);
    private CapturedLog log;
    private FilterServer node1;
    private FilterServer node2;

    private void start(Schema schema) throws Exception {
        this.schema = schema;
        log = new CapturedLog();
        if (schema == Schema.TODAYS_COLUMNS) {
            db.execute("ALTER TABLE users ADD COLUMN locked BOOLEAN DEFAULT FALSE NOT NULL",
                    "ALTER TABLE users ADD COLUMN suspended BOOLEAN DEFAULT FALSE NOT NULL");
        }
        SynapseRows rows = db.rows();
        rows.user("@alice:test").device("@alice:test", "DEV").device("@alice:test", "PHONE");
        rows.token("@alice:test", "alice_token", "DEV");
        rows.token("@alice:test", "alice_phone_token", "PHONE");
        rows.user("@bob:test").device("@bob:test", "BOBDEV").token("@bob:test", "bob_token", "BOBDEV");
        rows.accountValidity("@bob:test", System.currentTimeMillis() + 86_400_000L);
        db.jdbi().useTransaction(h -> { // what Synapse streams as it starts (MonthlyActiveUsersStore's reaping)
            streamRow(h, "user_last_seen_monthly_active");
            streamRow(h, "get_monthly_active_count");
        });
        Map<String, String> config = Map.of("server_name", "test", "database", db.jdbcUrl(),
                "auth_cache.lifetime", "600000", "account_validity.enabled", "true",
                "limit_usage_by_mau", "true", "max_mau_value", "100",
                RouteRules.INIT_PARAM, "/_synapse/admin/** admin");
        node1 = new FilterServer().context("/", config).start();
        node2 = new FilterServer().context("/", config).start();
        ListenerWait.untilListening(node1.auth("/"), db);
        ListenerWait.untilListening(node2.auth("/"), db);
        assertEquals(List.of(0L), db.jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM pg_trigger WHERE NOT tgisinternal").mapTo(Long.class).list()), "no trigger is ours");
    }

    @AfterEach
    void stop() {
        if (node1 != null) {
            node1.close();
            node2.close();
            log.close();
        }
    }

    private static RawHttp.Response get(FilterServer node, String path, String token) throws Exception {
        return RawHttp.send("127.0.0.1", node.port(), "GET", path, List.of("Authorization: Bearer " + token));
    }

    /** Both nodes answer from their caches. */
    private void warm(String path, String token, int status) throws Exception {
        for (FilterServer node : List.of(node1, node2)) {
            assertEquals(status, get(node, path, token).status());
            long hits = MatrixAuthInternals.caches(node.auth("/")).tokens().stats().hitCount();
            assertEquals(status, get(node, path, token).status());
            assertTrue(MatrixAuthInternals.caches(node.auth("/")).tokens().stats().hitCount() > hits, "served from the cache");
        }
    }

    /** Synapse's {@code _send_invalidation_to_replication} on PostgreSQL: a row of the stream, in the change's transaction. */
    static void streamRow(Handle h, String cacheFunc, String... keys) {
        h.createUpdate("INSERT INTO cache_invalidation_stream_by_instance (stream_id, instance_name, cache_func, keys,"
                        + " invalidation_ts) VALUES (nextval('cache_invalidation_stream_seq'), 'master', :func, :keys, :ts)")
                .bind("func", cacheFunc).bind("keys", keys).bind("ts", System.currentTimeMillis()).execute();
    }

    /** Polls both nodes until they answer otherwise than {@code before}; fails past the bound. */
    private RawHttp.Response bothChangeWithin(String path, String token, int before) throws Exception {
        long start = System.nanoTime();
        RawHttp.Response answer = null;
        for (FilterServer node : List.of(node1, node2)) {
            while (true) {
                answer = get(node, path, token);
                if (answer.status() != before) {
                    break;
                }
                long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                assertTrue(elapsedMs <= BOUND_MS, "unchanged after " + elapsedMs + " ms");
                Thread.sleep(10);
            }
        }
        System.out.printf("CACHE-5 (%s) %s %d -> %d on both nodes %d ms after the change%n", schema, path, before,
                answer.status(), (System.nanoTime() - start) / 1_000_000);
        return answer;
    }

    private void bothRefuseWithin(String token, String errcode) throws Exception {
        assertEquals(errcode, bothChangeWithin(WHOAMI, token, 200).json().get("errcode"));
    }

    /** What Synapse writes in one transaction. */
    @FunctionalInterface
    interface SynapseTransaction {
        void run(Handle h);
    }

    /**
     * One of Synapse's changes, as its code makes it (the function named), and what both nodes
     * answer once it is seen.
     *
     * @param untouched a token the change leaves alone, still served after it; or null
     * @param transactions in Synapse's order, each committed before the next
     */
    record SynapseChange(String name, String path, String token, int before, int after, String errcode, String untouched,
                         boolean needsTodaysColumns, List<SynapseTransaction> transactions) {
        SynapseChange leaving(String token) {
            return new SynapseChange(name, path, this.token, before, after, errcode, token, needsTodaysColumns, transactions);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A change after which whoami with the token, answered 200 before, is refused so. */
    static SynapseChange refusal(String name, String token, int status, String errcode, SynapseTransaction... transactions) {
        return new SynapseChange(name, WHOAMI, token, 200, status, errcode, null, false, List.of(transactions));
    }


    static Stream<Arguments> synapseChanges() {
        List<SynapseChange> changes = List.of(
                refusal("logout (delete_access_token)", "alice_token", 401, "M_UNKNOWN_TOKEN", h -> {
                    h.execute("DELETE FROM access_tokens WHERE token = 'alice_token'");
                    streamRow(h, "get_user_by_access_token", "alice_token");
                }).leaving("alice_phone_token"),
                refusal("logout/all (user_delete_access_tokens)", "alice_phone_token", 401, "M_UNKNOWN_TOKEN", h -> {
                    for (String token : List.of("alice_token", "alice_phone_token")) {
                        streamRow(h, "get_user_by_access_token", token);
                    }
                    h.execute("DELETE FROM access_tokens WHERE user_id = '@alice:test'");
                    h.execute("DELETE FROM refresh_tokens WHERE user_id = '@alice:test'");
                }),
                refusal("device deletion (delete_devices: user_delete_access_tokens for the device, then the row)",
                        "alice_phone_token", 401, "M_UNKNOWN_TOKEN", h -> {
                            streamRow(h, "get_user_by_access_token", "alice_phone_token");
                            h.execute("DELETE FROM access_tokens WHERE user_id = '@alice:test' AND device_id = 'PHONE'");
                            streamRow(h, "count_e2e_one_time_keys", "@alice:test", "PHONE"); // Synapse's, no concern here
                        }, h -> h.execute("DELETE FROM devices WHERE user_id = '@alice:test' AND device_id = 'PHONE'"))
                        .leaving("alice_token"),
                refusal("deactivation (deactivate_account: its tokens, then set_user_deactivated_status)", "bob_token",
                        401, "M_UNKNOWN_TOKEN", h -> {
                            streamRow(h, "get_user_by_access_token", "bob_token");
                            h.execute("DELETE FROM access_tokens WHERE user_id = '@bob:test'");
                        }, h -> {
                            h.execute("UPDATE users SET deactivated = 1 WHERE name = '@bob:test'");
                            streamRow(h, "get_user_deactivated_status", "@bob:test");
                            streamRow(h, "get_user_by_id", "@bob:test");
                        }),
                new SynapseChange("admin flag (set_server_admin: get_user_by_id): the admin route lets the user in",
                        ADMIN, "alice_token", 403, 200, null, null, false, List.of(h -> {
                            h.execute("UPDATE users SET admin = 1 WHERE name = '@alice:test'");
                            streamRow(h, "get_user_by_id", "@alice:test");
                        })),
                new SynapseChange("lock (set_user_locked_status: get_user_locked_status, get_user_by_id)", WHOAMI,
                        "alice_token", 200, 401, "M_USER_LOCKED", null, true, List.of(h -> {
                            h.execute("UPDATE users SET locked = TRUE WHERE name = '@alice:test'");
                            streamRow(h, "get_user_locked_status", "@alice:test");
                            streamRow(h, "get_user_by_id", "@alice:test");
                        })),
                refusal("account validity (set_account_validity_for_user: get_expiration_ts_for_user)", "bob_token",
                        403, "ORG_MATRIX_EXPIRED_ACCOUNT", h -> {
                            h.execute("UPDATE account_validity SET expiration_ts_ms = 1000 WHERE user_id = '@bob:test'");
                            streamRow(h, "get_expiration_ts_for_user", "@bob:test");
                        }));
        return changes.stream().flatMap(change -> Stream.of(Schema.values())
                .filter(schema -> schema == Schema.TODAYS_COLUMNS || !change.needsTodaysColumns())
                .map(schema -> Arguments.of(change, schema)));
    }

    @ParameterizedTest(name = "CACHE-5 {0}, on {1}")
    @MethodSource("synapseChanges")
    @DisplayName("CACHE-5 a change Synapse streams is seen by both nodes within a second")
    void cache5SynapsesChangeIsSeenByBothNodes(SynapseChange change, Schema schema) throws Exception {
        start(schema);
        warm(change.path(), change.token(), change.before());
        for (SynapseTransaction transaction : change.transactions()) {
            db.jdbi().useTransaction(transaction::run);
        }
        RawHttp.Response answer = bothChangeWithin(change.path(), change.token(), change.before());
        assertEquals(change.after(), answer.status(), answer.body());
        if (change.errcode() != null) {
            assertEquals(change.errcode(), answer.json().get("errcode"));
        }
        if (change.untouched() != null) {
            for (FilterServer node : List.of(node1, node2)) {
                assertEquals(200, get(node, WHOAMI, change.untouched()).status(), "only what the change names goes");
            }
        }
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(Schema.class)
    @DisplayName("CACHE-5 MAU reaping (reap_monthly_active_users): the reaped user is counted again by their next request")
    void cache5MauReaping(Schema schema) throws Exception {
        start(schema);
        warm(WHOAMI, "alice_token", 200);
        assertEquals(1, mauRows("@alice:test"), "TRK-6 counted the user");
        db.jdbi().useTransaction(h -> {
            h.execute("DELETE FROM monthly_active_users WHERE user_id = '@alice:test'");
            streamRow(h, "user_last_seen_monthly_active");
            streamRow(h, "get_monthly_active_count");
        });
        long start = System.nanoTime();
        while (mauRows("@alice:test") == 0) {
            assertEquals(200, get(node1, WHOAMI, "alice_token").status());
            assertTrue((System.nanoTime() - start) / 1_000_000 <= BOUND_MS, "not counted again within the bound");
            Thread.sleep(10);
        }
    }

    private long mauRows(String userId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM monthly_active_users WHERE user_id = :u")
                .bind("u", userId).mapTo(Long.class).one());
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(Schema.class)
    @DisplayName("CACHE-5 a change made through one node is seen by the other: the library publishes its own writes")
    void cache5TheLibrarysOwnChangeReachesTheOtherNode(Schema schema) throws Exception {
        start(schema);
        warm(WHOAMI, "alice_phone_token", 200);
        node1.auth("/").accounts().deleteDevice("@alice:test", "PHONE");
        bothRefuseWithin("alice_phone_token", "M_UNKNOWN_TOKEN");
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(Schema.class)
    @DisplayName("CACHE-6 a lower stream_id committed after a higher one was read is still applied")
    void cache6OutOfOrderCommit(Schema schema) throws Exception {
        start(schema);
        warm(WHOAMI, "alice_token", 200);
        warm(WHOAMI, "bob_token", 200);
        try (Connection slow = DriverManager.getConnection(db.jdbcUrl()); Statement statement = slow.createStatement()) {
            slow.setAutoCommit(false);
            statement.execute("DELETE FROM access_tokens WHERE token = 'alice_token'");
            statement.execute("INSERT INTO cache_invalidation_stream_by_instance VALUES (nextval('cache_invalidation_stream_seq'),"
                    + " 'worker1', 'get_user_by_access_token', ARRAY['alice_token'], 0)"); // the lower id, still open
            db.jdbi().useTransaction(h -> { // another writer takes the next id and commits first
                h.execute("DELETE FROM access_tokens WHERE token = 'bob_token'");
                streamRow(h, "get_user_by_access_token", "bob_token");
            });
            bothRefuseWithin("bob_token", "M_UNKNOWN_TOKEN");
            assertEquals(200, get(node1, WHOAMI, "alice_token").status(), "not committed yet");
            slow.commit();
        }
        bothRefuseWithin("alice_token", "M_UNKNOWN_TOKEN");
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(Schema.class)
    @DisplayName("CACHE-6 rows pruned before a node read them: its caches are dropped")
    void cache6PrunedUnderALaggingNode(Schema schema) throws Exception {
        start(schema);
        warm(WHOAMI, "alice_token", 200);
        db.jdbi().useTransaction(h -> {
            h.execute("DELETE FROM access_tokens WHERE token = 'alice_token'");
            streamRow(h, "get_user_by_access_token", "alice_token");
            // Synapse's _clean_up_batch_of_old_cache_invalidations, as if the nodes had lagged a week:
            // every row up to the change's own is gone before anyone read it.
            h.execute("DELETE FROM cache_invalidation_stream_by_instance");
        });
        bothRefuseWithin("alice_token", "M_UNKNOWN_TOKEN");
        assertTrue(log.text().contains("no longer holds row"), log.text());
    }
}
