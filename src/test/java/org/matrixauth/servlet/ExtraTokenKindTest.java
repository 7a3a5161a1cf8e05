package org.matrixauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import org.matrixauth.auth.ClientRequest;
import org.matrixauth.auth.CostlyCheckLimit;
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
    private static final int FAILED_CHECKS_BURST = 5;
    private MatrixAuth auth;
    private FilterServer server;

    /** The test's own token kind: {@code bot_<name>} tokens from a fixed table, in memory. */
    static final class BotTokens implements TokenAuthenticator {
        private final long now = System.currentTimeMillis();

        @Override
        public Optional<Requester> authenticate(String token, ClientRequest request, CostlyCheckLimit limit) {
            if (token.startsWith("remote_")) {
                return askRemote(token, limit);
            }
            return switch (token) {
                case "bot_admin" -> Optional.of(bot("@adminbot:test", Set.of(ADMIN_SCOPE), null));
                case "bot_plain" -> Optional.of(bot("@plainbot:test", Set.of(), null));
                case "bot_expired" -> Optional.of(bot("@plainbot:test", Set.of(), now - 60_000));
                case "bot_revoked" -> throw MatrixException.unknownToken("Bot token revoked", false);
                default -> Optional.empty(); // not mine
            };
        }

        /** {@code remote_<name>}: tokens another service would be asked about, a check FLOOD limits. */
        private static Optional<Requester> askRemote(String token, CostlyCheckLimit limit) {
            limit.beforeCostlyCheck();
            return token.startsWith("remote_valid") ? Optional.of(bot("@remotebot:test", Set.of(), null)) : Optional.empty();
        }

        private static Requester bot(String userId, Set<String> scopes, Long validUntilMs) {
            return Requester.user(userId).deviceId("BOT").scopes(scopes).serverAdmin(scopes.contains(ADMIN_SCOPE))
                    .tokenValidUntilMs(validUntilMs).build();
        }
    }

    @BeforeEach
    void start() throws Exception {
        auth = MatrixAuth.builder(AuthConfig.load(Map.of("server_name", "test", "database", db.jdbcUrl(),
                        "rc_failed_token_checks.burst_count", Integer.toString(FAILED_CHECKS_BURST),
                        "rc_failed_token_checks.per_second", "0.001")))
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
    @DisplayName("FLOOD-1 an added kind's costly checks are limited and counted as the built-in kinds' are, its tokens found valid remembered; its in-memory answers are not")
    void flood1LimitsTheAddedKindsCostlyChecks() throws Exception {
        String whoami = "/_matrix/client/v3/account/whoami";
        for (int i = 0; i < 2 * FAILED_CHECKS_BURST; i++) {
            assertEquals(200, get(whoami, "remote_valid").status(), "a valid token's check costs the address nothing");
        }
        for (int i = 0; i < FAILED_CHECKS_BURST; i++) {
            assertEquals(401, get(whoami, "remote_guess_" + i).status(), "guess " + i + " is within the burst");
        }
        RawHttp.Response refused = get(whoami, "remote_guess_last");
        assertEquals(429, refused.status());
        assertEquals("M_LIMIT_EXCEEDED", refused.json().get("errcode"));
        assertEquals(429, get(whoami, "remote_valid_never_seen").status(),
                "with the bucket empty, a costly check of a token never found valid waits, valid or not");
        assertEquals(200, get(whoami, "remote_valid").status(), "one found valid lately is checked without the bucket");
        assertEquals(200, get(whoami, "bot_plain").status(), "an answer from memory is no costly check");
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
