package org.matrixauth.observe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.matrixauth.MatrixAuth;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.servlet.RouteRules;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.Registrations;
import org.matrixauth.testing.SynapseRows;

/**
 * The requesters the OBS tests send: a user with a device, an admin's puppet token, and the IRC
 * bridge acting as its users, with and without a device. Tokens are spelled unlike any id or
 * label, so that a log line holding one is found.
 */
final class Requesters {
    static final String ALICE_TOKEN = "alice_secret_tok";
    static final String PUPPET_TOKEN = "admin_puppets_bob_secret_tok";
    static final String APPSERVICE_TOKEN = "as_irc_token";
    static final List<String> TOKENS = List.of(ALICE_TOKEN, PUPPET_TOKEN, APPSERVICE_TOKEN);
    static final String WHOAMI = "/_matrix/client/v3/account/whoami";
    static final String AS_CAROL = WHOAMI + "?user_id=@_irc_carol:test";
    static final String AS_DAVE_ON_HIS_DEVICE = WHOAMI + "?user_id=@_irc_dave:test&device_id=DAVEDEV";
    static final RouteRules ROUTES = RouteRules.parse("/_matrix/client/*/account/whoami guest\n/metrics public");

    private Requesters() {}

    /** Seeds these requesters into the test's database and starts a {@link MatrixAuth} on it (the caller closes it). */
    static MatrixAuth start(DatabaseExtension db, Path dir) throws IOException {
        seed(db.rows());
        return start(db.jdbcUrl(), dir);
    }

    private static void seed(SynapseRows rows) {
        rows.user("@alice:test").token("@alice:test", ALICE_TOKEN, "ALICEDEV");
        rows.device("@alice:test", "ALICEDEV");
        rows.user("@admin:test", true, false).user("@bob:test");
        rows.token("@admin:test", PUPPET_TOKEN, "PUPPETDEV", "@bob:test", null);
        rows.user("@_irc_carol:test", 1_600_000_000L, null, "irc").user("@_irc_dave:test", 1_600_000_000L, null, "irc");
        rows.device("@_irc_dave:test", "DAVEDEV");
    }

    private static MatrixAuth start(String jdbcUrl, Path dir) throws IOException {
        return MatrixAuth.builder(AuthConfig.load(Map.of(
                "server_name", "test",
                "database", jdbcUrl,
                "app_service_config_files", Registrations.irc(dir).toString()))).start();
    }

    static RawHttp.Response get(int port, String target, String token) throws IOException {
        return RawHttp.send("127.0.0.1", port, "GET", target, List.of("Authorization: Bearer " + token));
    }
}
