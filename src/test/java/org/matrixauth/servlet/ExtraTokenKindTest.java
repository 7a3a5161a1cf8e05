package org.matrixauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.matrixauth.MatrixAuth;
import org.matrixauth.MatrixAuthInternals;
import org.matrixauth.auth.ClientRequest;
import org.matrixauth.auth.Requester;
import org.matrixauth.auth.TokenAuthenticator;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.error.MatrixException;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.FilterServer;
import org.matrixauth.testing.RawHttp;

/**
 * A fourth token kind is one class registered through the builder: here bots' pre-shared tokens,
 * through the real filter on Jetty. The resolver's policy (TOK-3 expiry, REQ-2 admin) and
 * recording (TRK-1) apply to it as to the built-in kinds, and tokens it does not claim go on to
 * Synapse's access tokens (TOK-1, TOK-2).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = DatabaseKind.class, names = {"H2", "POSTGRESQL"})
class ExtraTokenKindTest {
    private static final String ADMIN_SCOPE = "admin";
    private static final String ROUTES = """
            /_synapse/admin/**  admin
            """;

    @Parameter
    DatabaseKind kind;

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> kind);
    private MatrixAuth auth;
    private FilterServer server;

    /** The test's own token kind: {@code bot_<name>} tokens from a fixed table, in memory. */
    static final class BotTokens implements TokenAuthenticator {
        private final long now = System.currentTimeMillis();

        @Override
        public Optional<Requester> authenticate(String token, ClientRequest request) {
            return switch (token) {
                case "bot_admin" -> Optional.of(bot("@adminbot:test", Set.of(ADMIN_SCOPE), null));
                case "bot_plain" -> Optional.of(bot("@plainbot:test", Set.of(), null));
                case "bot_expired" -> Optional.of(bot("@plainbot:test", Set.of(), now - 60_000));
                case "bot_revoked" -> throw MatrixException.unknownToken("Bot token revoked", false);
                default -> Optional.empty(); // not mine
            };
        }

        private static Requester bot(String userId, Set<String> scopes, Long validUntilMs) {
            return Requester.user(userId).deviceId("BOT").scopes(scopes).serverAdmin(scopes.contains(ADMIN_SCOPE))
                    .tokenValidUntilMs(validUntilMs).build();
        }
    }

    @BeforeEach
    void start() throws Exception {
        auth = MatrixAuth.builder(AuthConfig.load(Map.of("server_name", "test", "database", db.jdbcUrl())))
                .authenticator(new BotTokens())
                .start();
        db.rows().user("@alice:test").token("@alice:test", "alice_token", "DEV");
        server = new FilterServer().context("/", auth, RouteRules.parse(ROUTES)).start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        auth.close();
    }

    private RawHttp.Response get(String path, String token) throws Exception {
        return RawHttp.send("127.0.0.1", server.port(), "GET", path, List.of("Authorization: Bearer " + token));
    }

    @Test
    void theAddedKindAuthenticatesThroughTheFilter() throws Exception {
        RawHttp.Response whoami = get("/_matrix/client/v3/account/whoami", "bot_plain");
        assertEquals(200, whoami.status());
        assertEquals("@plainbot:test", whoami.json().get("user_id"));
        assertEquals("BOT", whoami.json().get("device_id"));
        assertEquals(false, whoami.json().get("role_admin"));
    }

    @Test
    void req2AdminFromTheAddedKindsScope() throws Exception {
        RawHttp.Response admin = get("/_synapse/admin/v1/whatever", "bot_admin");
        assertEquals(200, admin.status());
        assertEquals(true, admin.json().get("role_admin"));
        RawHttp.Response plain = get("/_synapse/admin/v1/whatever", "bot_plain");
        assertEquals(403, plain.status());
        assertEquals("M_FORBIDDEN", plain.json().get("errcode"));
        assertEquals("You are not a server admin", plain.json().get("error"));
    }

    @Test
    void tok3ExpiryAppliesToTheAddedKind() throws Exception {
        RawHttp.Response expired = get("/_matrix/client/v3/account/whoami", "bot_expired");
        assertEquals(401, expired.status());
        assertEquals("M_UNKNOWN_TOKEN", expired.json().get("errcode"));
        assertEquals(true, expired.json().get("soft_logout"));
    }

    @Test
    void theAddedKindRefusesWithItsOwnError() throws Exception {
        RawHttp.Response revoked = get("/_matrix/client/v3/account/whoami", "bot_revoked");
        assertEquals(401, revoked.status());
        assertEquals("Bot token revoked", revoked.json().get("error"));
    }

    @Test
    void tok1Tok2TokensItDoesNotClaimGoOnToSynapsesTokens() throws Exception {
        RawHttp.Response alice = get("/_matrix/client/v3/account/whoami", "alice_token");
        assertEquals(200, alice.status());
        assertEquals("@alice:test", alice.json().get("user_id"));
        RawHttp.Response unknown = get("/_matrix/client/v3/account/whoami", "bot_unknown");
        assertEquals(401, unknown.status());
        assertEquals("Unrecognised access token", unknown.json().get("error"));
    }

    @Test
    void trk1RequestsOfTheAddedKindAreRecorded() throws Exception {
        assertEquals(200, get("/_matrix/client/v3/account/whoami", "bot_plain").status());
        MatrixAuthInternals.clientIps(auth).flush();
        List<String> recorded = MatrixAuthInternals.jdbi(auth).withHandle(h -> h.createQuery(
                "SELECT user_id FROM user_ips WHERE access_token = 'bot_plain'").mapTo(String.class).list());
        assertEquals(List.of("@plainbot:test"), recorded);
    }
}
