package org.matrixauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.FilterServer;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.Registrations;
import org.matrixauth.testing.SynapseRows;

/**
 * BLK through the real filter on embedded Jetty and H2: routes flagged {@code blocking} refuse
 * once the server is full or disabled; others (whoami, BLK-7) never do.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = DatabaseKind.class, names = {"H2", "POSTGRESQL", "SYNAPSE_1_50"})
class BlockingServletTest {
    @Parameter
    DatabaseKind kind;

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> kind);
    static final String SYNC = "/_matrix/client/v3/sync";
    static final String WHOAMI = "/_matrix/client/v3/account/whoami";
    static final String ROUTES = """
            /_matrix/client/*/account/whoami  guest
            /_matrix/client/*/sync            blocking
            """;

    @TempDir
    Path dir;

    private FilterServer server;

    @BeforeEach
    void start() throws Exception {
        String url = db.jdbcUrl();
        SynapseRows rows = db.rows();
        for (String user : List.of("u1", "u2", "u3")) {
            rows.user("@" + user + ":test", 1_600_000_000L, null, null).token("@" + user + ":test", user + "_token", "DEV");
        }
        rows.user("@notices:test", 1_600_000_000L, null, null).token("@notices:test", "notices_token", "DEV");
        Path irc = Registrations.irc(dir);
        Map<String, String> full = new HashMap<>(Map.of(
                "server_name", "test",
                "database", url,
                "app_service_config_files", irc.toString(),
                "limit_usage_by_mau", "true",
                "max_mau_value", "2",
                "admin_contact", "mailto:ops@test",
                RouteRules.INIT_PARAM, ROUTES));
        Map<String, String> disabled = new HashMap<>(Map.of(
                "server_name", "test",
                "database", url,
                "hs_disabled", "true",
                "hs_disabled_message", "Closed for the night",
                "server_notices.system_mxid_localpart", "notices",
                RouteRules.INIT_PARAM, ROUTES));
        server = new FilterServer().context("/", full).context("/disabled", disabled).start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private RawHttp.Response get(String target, String token) throws IOException {
        return RawHttp.send("127.0.0.1", server.port(), "GET", target, List.of("Authorization: Bearer " + token));
    }

    @Test
    void blk5TheServerRefusesTheVeryNextNewUserOnceFull() throws IOException {
        assertEquals(200, get(SYNC, "u1_token").status());
        assertEquals(200, get(SYNC, "u2_token").status());
        RawHttp.Response refused = get(SYNC, "u3_token");
        assertEquals(403, refused.status());
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("errcode", "M_RESOURCE_LIMIT_EXCEEDED");
        expected.put("error", "Monthly Active User Limit Exceeded");
        expected.put("admin_contact", "mailto:ops@test");
        expected.put("limit_type", "monthly_active_user");
        assertEquals(expected, refused.json());
        assertEquals("*", refused.header("access-control-allow-origin"), "ERR-1");

        assertEquals(200, get(WHOAMI, "u3_token").status(), "BLK-7: whoami is never blocked");
        assertEquals(200, get(SYNC, "u1_token").status(), "BLK-5: a counted user still passes");
        assertEquals(200, get(SYNC, "as_irc_token").status(), "BLK-2: appservice passes while its users are not tracked");
    }

    @Test
    @DisplayName("BLK-4: a disabled server refuses blocking routes, but not the server-notices user (BLK-3)")
    void blk4DisabledServerRefusesBlockingRoutesButNotTheNoticesUser() throws IOException {
        RawHttp.Response refused = get("/disabled" + SYNC, "u1_token");
        assertEquals(403, refused.status());
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("errcode", "M_RESOURCE_LIMIT_EXCEEDED");
        expected.put("error", "Closed for the night");
        expected.put("admin_contact", null);
        expected.put("limit_type", "hs_disabled");
        assertEquals(expected, refused.json());
        assertEquals(200, get("/disabled" + WHOAMI, "u1_token").status(), "BLK-7: whoami is never blocked");
        assertEquals(200, get("/disabled" + SYNC, "notices_token").status(), "BLK-3: the server notices user");
    }
}
