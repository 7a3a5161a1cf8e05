package org.matrixauth.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.nitram509.jmacaroons.MacaroonsBuilder;
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
import org.matrixauth.MatrixAuth;
import org.matrixauth.MatrixAuthInternals;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.servlet.RouteRules;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.FilterServer;
import org.matrixauth.testing.ListenerWait;
import org.matrixauth.testing.MutableClock;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.StatementLog;

/**
 * CACHE-1: once a token is cached, a request through the real filter issues no SQL statement at
 * all, with client-IP tracking, MAU limiting and a blocking route on. Statements are counted
 * with a JDBI statement logger on the filter's own database, on the request threads.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = DatabaseKind.class, names = {"H2", "POSTGRESQL"})
class HotPathTest {
    @Parameter
    DatabaseKind kind;

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> kind);
    private static final String MACAROON_KEY = "hot-path-macaroon-key";
    private final MutableClock clock = new MutableClock(System.currentTimeMillis());
    private MatrixAuth auth;
    private FilterServer server;
    private List<String> requestThreadStatements;

    @BeforeEach
    void start() throws Exception {
        db.rows().user("@alice:test", 1_600_000_000L, null, null)
                .token("@alice:test", "alice_token", "DEV");
        db.rows().user("@guest:test", false, true);
        auth = MatrixAuth.builder(AuthConfig.load(Map.of(
                "server_name", "test",
                "database", db.jdbcUrl(),
                "limit_usage_by_mau", "true",
                "max_mau_value", "100",
                "track_puppeted_user_ips", "true",
                "macaroon_secret_key", MACAROON_KEY))).clock(clock).start();
        server = new FilterServer().context("/", auth,
                RouteRules.parse("/_matrix/client/*/sync blocking\n/_matrix/client/*/account/whoami guest")).start();
        ListenerWait.untilListening(auth, db);
        requestThreadStatements = StatementLog.attachToRequestThreads(MatrixAuthInternals.jdbi(auth));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        auth.close();
    }

    private int sync() throws Exception {
        return get("/_matrix/client/v3/sync", "alice_token");
    }

    private int get(String path, String token) throws Exception {
        return RawHttp.send("127.0.0.1", server.port(), "GET", path,
                List.of("Authorization: Bearer " + token, "User-Agent: bench")).status();
    }

    /**
     * CACHE-4 for guest macaroons: the first request finds the macaroon in no row of access_tokens
     * (one query, TOK-2) and verifies it; for lifetime_without_notifications (1 s by default) it is
     * known not to be there and verified, and costs no statement; then it is looked up once again.
     */
    @Test
    @DisplayName("CACHE-4 a verified guest macaroon is not looked up again within the bound, then is")
    void cache4AVerifiedGuestMacaroonIsNotLookedUpAgainWithinTheBound() throws Exception {
        String macaroon = new MacaroonsBuilder("test", MACAROON_KEY, "key")
                .add_first_party_caveat("gen = 1").add_first_party_caveat("type = access")
                .add_first_party_caveat("user_id = @guest:test").add_first_party_caveat("guest = true")
                .getMacaroon().serialize();
        assertEquals(200, get("/_matrix/client/v3/account/whoami", macaroon));
        assertTrue(requestThreadStatements.stream().anyMatch(sql -> sql.contains("access_tokens")),
                "the first request asked access_tokens: " + requestThreadStatements);
        requestThreadStatements.clear();
        for (int i = 0; i < 20; i++) {
            assertEquals(200, get("/_matrix/client/v3/account/whoami", macaroon));
        }
        assertEquals(List.of(), requestThreadStatements, "no SQL while the macaroon is known");

        clock.advance(1_200);
        assertEquals(200, get("/_matrix/client/v3/account/whoami", macaroon));
        assertTrue(requestThreadStatements.stream().anyMatch(sql -> sql.contains("access_tokens")),
                "looked up again after the bound: " + requestThreadStatements);
    }

    @Test
    void cache1ACachedTokenCostsNoStatement() throws Exception {
        assertEquals(200, sync());
        assertTrue(!requestThreadStatements.isEmpty(), "the first request looked the token up");
        requestThreadStatements.clear();
        for (int i = 0; i < 20; i++) {
            assertEquals(200, sync());
        }
        assertEquals(List.of(), requestThreadStatements, "no SQL on the hot path");

        MatrixAuthInternals.caches(server.auth("/")).invalidateToken("alice_token");
        assertEquals(200, sync());
        assertEquals(1, requestThreadStatements.size(), "one indexed query per cache miss: " + requestThreadStatements);
    }
}
