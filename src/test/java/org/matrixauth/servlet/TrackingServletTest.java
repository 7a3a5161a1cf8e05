package org.matrixauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.matrixauth.MatrixAuth;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.FilterServer;
import org.matrixauth.testing.MutableClock;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.Registrations;
import org.matrixauth.testing.SynapseRows;

/**
 * TRK, MAU and AS-7 through the real filter on embedded Jetty and H2: a scripted sequence of
 * requests, then the rows in user_ips, monthly_active_users and devices are exactly the expected
 * ones. Two filters share the database: "/" with tracking of puppets and appservices off,
 * "/track" with both on. Requests come from a trusted proxy (loopback) that forwards a
 * distinct client address for each (TRK-2).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = DatabaseKind.class, names = {"H2", "POSTGRESQL", "SYNAPSE_1_50"})
class TrackingServletTest {
    @Parameter
    DatabaseKind kind;

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> kind);
    static final String WHOAMI = "/_matrix/client/v3/account/whoami";
    static final long OLD = 1_600_000_000L; // registered long before any trial

    @TempDir
    Path dir;

    private static final String ROUTES_TEXT = "/_matrix/client/*/account/whoami guest\n/metrics public";
    private static final RouteRules ROUTES = RouteRules.parse(ROUTES_TEXT);
    private final MutableClock clock = new MutableClock(System.currentTimeMillis());
    private MatrixAuth offAuth;
    private MatrixAuth onAuth;
    private FilterServer server;

    @BeforeEach
    void start() throws Exception {
        String url = db.jdbcUrl();
        SynapseRows rows = db.rows();
        rows.user("@alice:test", OLD, null, null).token("@alice:test", "alice_token", "ALICEDEV");
        rows.device("@alice:test", "ALICEDEV");
        rows.user("@admin:test", OLD, null, null).user("@bob:test", OLD, null, null);
        rows.token("@admin:test", "puppet_token", "PUPPETDEV", "@bob:test", null);
        rows.token("@alice:test", "expired_token", "ALICEDEV", null, 1_000L);
        rows.user("@_irc_carol:test", OLD, null, "irc").user("@_irc_dave:test", OLD, null, "irc");
        rows.device("@_irc_dave:test", "DAVEDEV");
        Path irc = Registrations.irc(dir);
        Map<String, String> off = new HashMap<>(Map.of(
                "server_name", "test",
                "database", url,
                "app_service_config_files", irc.toString(),
                "trusted_proxies", "127.0.0.0/8, ::1",
                "limit_usage_by_mau", "true",
                "max_mau_value", "10",
                // The two filters are two nodes: each sees the other's MAU additions within this.
                "auth_cache.lifetime_without_notifications", "100",
                RouteRules.INIT_PARAM, ROUTES_TEXT));
        Map<String, String> on = new HashMap<>(off);
        on.put("track_puppeted_user_ips", "true");
        on.put("track_appservice_user_ips", "true");
        offAuth = start(off);
        onAuth = start(on);
        server = new FilterServer().context("/", offAuth, ROUTES).context("/track", onAuth, ROUTES).start();
    }

    private MatrixAuth start(Map<String, String> params) {
        return MatrixAuth.builder(AuthConfig.load(params)).clock(clock).start();
    }

    /** The filters are gone, then their MatrixAuths: TRK-3's flush at shutdown. */
    private void shutDown() {
        server.close();
        offAuth.close();
        onAuth.close();
    }

    @AfterEach
    void stop() throws Exception {
        shutDown(); // again, for a test that failed before its own stop
    }

    private int get(String target, String token, String clientIp) throws IOException {
        List<String> headers = new ArrayList<>(List.of("X-Forwarded-For: " + clientIp, "User-Agent: UA-" + clientIp));
        headers.add("Authorization: Bearer " + token);
        return RawHttp.send("127.0.0.1", server.port(), "GET", target, headers).status();
    }

    private List<String> query(String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).map((rs, ctx) -> {
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                columns.add(String.valueOf(rs.getObject(i)));
            }
            return String.join(" | ", columns);
        }).list());
    }

    @Test
    void scriptedRequestsLeaveExactlyTheExpectedRows() throws Exception {
        long before = clock.millis();
        assertEquals(200, get(WHOAMI, "alice_token", "198.51.100.1"));                       // TRK-1
        assertEquals(200, get(WHOAMI, "puppet_token", "198.51.100.2"));                      // TRK-1: owner only
        assertEquals(200, get("/track" + WHOAMI, "puppet_token", "198.51.100.3"));           // TRK-1: owner and puppet
        assertEquals(200, get(WHOAMI + "?user_id=@_irc_carol:test", "as_irc_token", "198.51.100.4")); // AS-7: off
        assertEquals(200, get("/track" + WHOAMI + "?user_id=@_irc_carol:test", "as_irc_token", "198.51.100.5")); // AS-7
        assertEquals(200, get("/track" + WHOAMI + "?user_id=@_irc_dave:test&device_id=DAVEDEV", "as_irc_token",
                "198.51.100.6"));                                                             // AS-7 with a device
        assertEquals(200, get("/track" + WHOAMI, "as_irc_token", "198.51.100.9"));           // TRK-6: the sender, no users row
        assertEquals(401, get(WHOAMI, "expired_token", "198.51.100.7"));                     // failed: no rows
        assertEquals(401, get(WHOAMI, "bogus_token", "198.51.100.8"));                       // failed: no rows
        assertEquals(200, get(WHOAMI, "alice_token", "198.51.100.1"));                       // TRK-3: within 120 s
        assertEquals(0, query("SELECT * FROM user_ips").size(), "TRK-3: nothing written before the flush");
        // The "/" filter's metrics: four requests let through, two refused, two rows queued; its
        // MAU count includes the "/track" filter's additions once its cached count is 100 ms old.
        clock.advance(150);
        String metrics = RawHttp.send("127.0.0.1", server.port(), "GET", "/metrics", List.of()).body();
        assertTrue(metrics.contains("matrix_auth_requests_total{outcome=\"authenticated\"} 4.0"), metrics);
        assertTrue(metrics.contains("matrix_auth_requests_total{outcome=\"M_UNKNOWN_TOKEN\"} 2.0"), metrics);
        assertTrue(metrics.contains("matrix_auth_client_ip_pending_rows 2.0"), metrics);
        assertTrue(metrics.contains("matrix_auth_client_ip_dropped_rows_total 0.0"), "TRK-5: " + metrics);
        assertTrue(metrics.contains("matrix_auth_client_ip_refused_rows_total 0.0"), "TRK-5: " + metrics);
        assertTrue(metrics.contains("synapse_admin_mau_max 10.0"), metrics);
        assertTrue(metrics.contains("synapse_admin_mau_current 4.0"), "MAU-1: " + metrics);
        assertTrue(metrics.contains("synapse_admin_mau_current_mau_by_service{app_service=\"irc\"} 2.0"), "MAU-1: " + metrics);
        assertTrue(metrics.contains("synapse_admin_mau_current_mau_by_service{app_service=\"native\"} 4.0"),
                "MAU-1: the sender has no users row, so Synapse's count takes it as native: " + metrics);

        shutDown();

        assertEquals(List.of(
                "@_irc_bot:test | as_irc_token | 198.51.100.9 | UA-198.51.100.9 | dummy-device",
                "@_irc_carol:test | as_irc_token | 198.51.100.5 | UA-198.51.100.5 | dummy-device",
                "@_irc_dave:test | as_irc_token | 198.51.100.6 | UA-198.51.100.6 | DAVEDEV",
                "@admin:test | puppet_token | 198.51.100.2 | UA-198.51.100.2 | PUPPETDEV",
                "@admin:test | puppet_token | 198.51.100.3 | UA-198.51.100.3 | PUPPETDEV",
                "@alice:test | alice_token | 198.51.100.1 | UA-198.51.100.1 | ALICEDEV",
                "@bob:test | puppet_token | 198.51.100.3 | UA-198.51.100.3 | PUPPETDEV"),
                query("SELECT user_id, access_token, ip, user_agent, device_id FROM user_ips"
                        + " ORDER BY user_id, access_token, ip"));
        assertEquals(List.of("@_irc_bot:test", "@_irc_carol:test", "@_irc_dave:test", "@admin:test", "@alice:test", "@bob:test"),
                query("SELECT user_id FROM monthly_active_users ORDER BY user_id"), "TRK-6");
        assertEquals(List.of(
                "@_irc_dave:test | DAVEDEV | 198.51.100.6 | UA-198.51.100.6",
                "@alice:test | ALICEDEV | 198.51.100.1 | UA-198.51.100.1"),
                query("SELECT user_id, device_id, ip, user_agent FROM devices ORDER BY user_id"),
                "TRK-4: devices updated, never inserted (PUPPETDEV has no row)");
        assertEquals(List.of("3"), query("SELECT COUNT(*) FROM monthly_active_users m JOIN users u ON u.name = m.user_id"
                + " WHERE u.appservice_id IS NULL"), "MAU-1: appservice users are not counted");
        // Synapse's shape: times in milliseconds since the epoch, as Synapse writes them.
        long after = clock.millis();
        for (String time : query("SELECT last_seen FROM user_ips UNION ALL SELECT \"timestamp\" FROM monthly_active_users"
                + " UNION ALL SELECT last_seen FROM devices WHERE last_seen IS NOT NULL")) {
            long millis = Long.parseLong(time);
            assertTrue(millis >= before && millis <= after, time + " is a time in milliseconds of this test");
        }
    }
}
