package org.matrixauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.matrixauth.auth.AuthOptions;
import org.matrixauth.auth.ClientRequest;
import org.matrixauth.auth.Requester;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.error.MatrixException;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.MutableClock;

/**
 * RFT-1..7 through {@link MatrixAuth#refreshTokens()} and the real authentication, on the
 * project's own databases and on one Synapse 1.50 created, with the library's clock moved instead
 * of waiting; the rows are compared with what Synapse's statements write.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = DatabaseKind.class, names = {"H2", "POSTGRESQL", "SYNAPSE_1_50"})
class RefreshTokensTest {
    private static final long MINUTE = 60_000L;
    private static final String ALICE = "@alice:test";

    @Parameter
    DatabaseKind kind;

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> kind);

    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final List<MatrixAuth> started = new ArrayList<>();

    @BeforeEach
    void seed() {
        db.rows().user(ALICE).device(ALICE, "DEV");
    }

    @AfterEach
    void stop() {
        started.forEach(MatrixAuth::close);
    }

    /** Synapse 1.50's configuration with refresh tokens: access tokens for 5 minutes, and whatever the test adds. */
    private MatrixAuth start(String... keysAndValues) {
        Map<String, String> settings = new HashMap<>(Map.of("server_name", "test", "database", db.jdbcUrl(),
                "refreshable_access_token_lifetime", "5m"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            settings.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        MatrixAuth auth = MatrixAuth.builder(AuthConfig.load(settings)).clock(clock).start();
        started.add(auth);
        return auth;
    }

    private static Requester resolve(MatrixAuth auth, String token) {
        return auth.authentication().authenticate(new ClientRequest(List.of("Bearer " + token), Map.of(), "127.0.0.1", null),
                AuthOptions.STRICT);
    }

    private static void assertRefused(int status, String errcode, String error, Runnable call) {
        MatrixException e = assertThrows(MatrixException.class, call::run);
        assertEquals(List.of(status, errcode, error), List.of(e.status(), e.errcode(), e.error()));
    }

    private Map<String, Object> refreshRow(String token) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT id, user_id, device_id, next_token_id, expiry_ts,"
                + " ultimate_session_expiry_ts FROM refresh_tokens WHERE token = :token").bind("token", token).mapToMap().one());
    }

    private Map<String, Object> accessRow(String token) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT user_id, device_id, valid_until_ms, puppets_user_id,"
                + " last_validated, refresh_token_id, used FROM access_tokens WHERE token = :token").bind("token", token)
                .mapToMap().one());
    }

    private long count(String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Test
    @DisplayName("RFT-1: issuing writes Synapse's rows: refresh_tokens, and access_tokens.refresh_token_id naming it")
    void rft1IssuingWritesSynapsesRows() {
        MatrixAuth auth = start("refresh_token_lifetime", "1h");
        long now = clock.millis();
        SessionTokens tokens = auth.refreshTokens().issue(ALICE, "DEV", false);
        assertTrue(tokens.accessToken().startsWith("syt_YWxpY2U_") && tokens.refreshToken().startsWith("syr_YWxpY2U_"),
                tokens.toString());
        assertEquals(List.of(now + 5 * MINUTE, 5 * MINUTE), List.of(tokens.validUntilMs(), tokens.expiresInMs()));
        Map<String, Object> refresh = refreshRow(tokens.refreshToken());
        assertEquals(List.of(ALICE, "DEV", now + 60 * MINUTE), List.of(refresh.get("user_id"), refresh.get("device_id"),
                refresh.get("expiry_ts")));
        assertNull(refresh.get("next_token_id"));
        assertNull(refresh.get("ultimate_session_expiry_ts"));
        Map<String, Object> access = accessRow(tokens.accessToken());
        assertEquals(List.of(ALICE, "DEV", now + 5 * MINUTE, now, refresh.get("id"), false),
                List.of(access.get("user_id"), access.get("device_id"), access.get("valid_until_ms"),
                        access.get("last_validated"), access.get("refresh_token_id"), access.get("used")));
        assertEquals(ALICE, resolve(auth, tokens.accessToken()).userId());
    }

    @Test
    @DisplayName("RFT-2: a refresh gives a new pair, next_token_id links them, the new access token works")
    void rft2RefreshGivesANewPairLinkedByNextTokenId() {
        MatrixAuth auth = start();
        SessionTokens first = auth.refreshTokens().issue(ALICE, "DEV", false);
        clock.advance(MINUTE);
        SessionTokens second = auth.refreshTokens().refresh(first.refreshToken());
        assertNotEquals(first.refreshToken(), second.refreshToken());
        assertEquals(List.of(clock.millis() + 5 * MINUTE, 5 * MINUTE), List.of(second.validUntilMs(), second.expiresInMs()));
        assertEquals(refreshRow(second.refreshToken()).get("id"), refreshRow(first.refreshToken()).get("next_token_id"));
        assertEquals(refreshRow(second.refreshToken()).get("id"), accessRow(second.accessToken()).get("refresh_token_id"));
        assertEquals(ALICE, resolve(auth, second.accessToken()).userId());
        assertEquals("DEV", resolve(auth, second.accessToken()).deviceId());
    }

    @Test
    @DisplayName("RFT-2: session_lifetime caps the lifetimes of everything a refresh issues, then ends the session")
    void rft2TheSessionsUltimateExpiryCapsLaterLifetimes() {
        MatrixAuth auth = start("session_lifetime", "12m", "refresh_token_lifetime", "10m");
        long ultimate = clock.millis() + 12 * MINUTE;
        SessionTokens first = auth.refreshTokens().issue(ALICE, "DEV", false);
        assertEquals(ultimate, refreshRow(first.refreshToken()).get("ultimate_session_expiry_ts"));
        clock.advance(9 * MINUTE);
        SessionTokens second = auth.refreshTokens().refresh(first.refreshToken());
        assertEquals(List.of(ultimate, 3 * MINUTE), List.of(second.validUntilMs(), second.expiresInMs()));
        assertEquals(List.of(ultimate, ultimate), List.of(refreshRow(second.refreshToken()).get("expiry_ts"),
                refreshRow(second.refreshToken()).get("ultimate_session_expiry_ts")));
        clock.advance(3 * MINUTE + 1);
        assertRefused(403, "M_FORBIDDEN", "The supplied refresh token has expired",
                () -> auth.refreshTokens().refresh(second.refreshToken()));
    }

    @Test
    @DisplayName("RFT-3: a refresh token whose checksum does not verify, or that is not in the table, is refused with 401")
    void rft3ABadSignatureOrAnUnknownTokenIsRefused() {
        MatrixAuth auth = start();
        SessionTokens tokens = auth.refreshTokens().issue(ALICE, "DEV", false);
        String refreshToken = tokens.refreshToken();
        char last = refreshToken.charAt(refreshToken.length() - 1);
        String forged = refreshToken.substring(0, refreshToken.length() - 1) + (last == 'x' ? 'y' : 'x');
        assertRefused(401, "M_UNKNOWN_TOKEN", "invalid refresh token", () -> auth.refreshTokens().refresh(forged));
        assertRefused(401, "M_UNKNOWN_TOKEN", "invalid refresh token", () -> auth.refreshTokens().refresh(tokens.accessToken()));
        String unknown = auth.refreshTokens().issue(ALICE, "DEV", false).refreshToken();
        db.jdbi().useHandle(h -> h.createUpdate("DELETE FROM refresh_tokens WHERE token = :t").bind("t", unknown).execute());
        assertRefused(401, "M_UNKNOWN_TOKEN", "refresh token does not exist", () -> auth.refreshTokens().refresh(unknown));
    }

    @Test
    @DisplayName("RFT-4: once the next access token has been used (TOK-6), the refresh token is spent")
    void rft4UsingTheNextAccessTokenSpendsTheRefreshToken() {
        MatrixAuth auth = start();
        SessionTokens first = auth.refreshTokens().issue(ALICE, "DEV", false);
        SessionTokens second = auth.refreshTokens().refresh(first.refreshToken());
        resolve(auth, second.accessToken());
        assertEquals(true, accessRow(second.accessToken()).get("used"));
        assertRefused(403, "M_FORBIDDEN", "refresh token isn't valid anymore",
                () -> auth.refreshTokens().refresh(first.refreshToken()));
        assertEquals(ALICE, resolve(auth, auth.refreshTokens().refresh(second.refreshToken()).accessToken()).userId());
    }

    @Test
    @DisplayName("RFT-4: once the next refresh token has been refreshed, the refresh token is spent")
    void rft4RefreshingTheNextRefreshTokenSpendsTheRefreshToken() {
        MatrixAuth auth = start();
        SessionTokens first = auth.refreshTokens().issue(ALICE, "DEV", false);
        SessionTokens second = auth.refreshTokens().refresh(first.refreshToken());
        auth.refreshTokens().refresh(second.refreshToken());
        assertRefused(403, "M_FORBIDDEN", "refresh token isn't valid anymore",
                () -> auth.refreshTokens().refresh(first.refreshToken()));
    }

    @Test
    @DisplayName("RFT-4: refreshing again before the successor is used replaces it; its tokens are deleted and refused at once")
    void rft4ARetryReplacesTheEarlierSuccessor() {
        MatrixAuth auth = start();
        SessionTokens first = auth.refreshTokens().issue(ALICE, "DEV", false);
        SessionTokens lost = auth.refreshTokens().refresh(first.refreshToken());
        SessionTokens retried = auth.refreshTokens().refresh(first.refreshToken());
        assertEquals(0, count("SELECT COUNT(*) FROM refresh_tokens WHERE token = '" + lost.refreshToken() + "'"));
        assertEquals(0, count("SELECT COUNT(*) FROM access_tokens WHERE token = '" + lost.accessToken() + "'"));
        assertEquals(refreshRow(retried.refreshToken()).get("id"), refreshRow(first.refreshToken()).get("next_token_id"));
        assertRefused(401, "M_UNKNOWN_TOKEN", "refresh token does not exist",
                () -> auth.refreshTokens().refresh(lost.refreshToken()));
        assertEquals(ALICE, resolve(auth, retried.accessToken()).userId());
    }

    @Test
    @DisplayName("RFT-4, CACHE-2: the replaced successor's access token is refused at once though it was cached")
    void rft4TheReplacedSuccessorsCachedAccessTokenIsRefused() {
        MatrixAuth auth = start("auth_cache.lifetime", "1h", "auth_cache.lifetime_without_notifications", "1h");
        SessionTokens first = auth.refreshTokens().issue(ALICE, "DEV", false);
        SessionTokens lost = auth.refreshTokens().refresh(first.refreshToken());
        // Its lookup cached, but not its used flag, which would spend the first token: as a request refused after
        // the lookup leaves it. Here the flag is set for the lookup and cleared again behind the cache's back.
        db.jdbi().useHandle(h -> h.execute("UPDATE access_tokens SET used = TRUE"));
        resolve(auth, lost.accessToken());
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE access_tokens SET used = FALSE WHERE token = :t")
                .bind("t", lost.accessToken()).execute());
        auth.refreshTokens().refresh(first.refreshToken());
        assertRefused(401, "M_UNKNOWN_TOKEN", "Unrecognised access token", () -> resolve(auth, lost.accessToken()));
    }

    @Test
    @DisplayName("RFT-5: an expired refresh token is refused with 403")
    void rft5AnExpiredRefreshTokenIsRefused() {
        MatrixAuth auth = start("refresh_token_lifetime", "1h");
        SessionTokens tokens = auth.refreshTokens().issue(ALICE, "DEV", false);
        clock.advance(60 * MINUTE + 1);
        assertRefused(403, "M_FORBIDDEN", "The supplied refresh token has expired",
                () -> auth.refreshTokens().refresh(tokens.refreshToken()));
    }

    @Test
    @DisplayName("RFT-6, TOK-3: an expired access token that came from a refresh token is refused with soft_logout")
    void rft6AnExpiredRefreshableAccessTokenIsASoftLogout() {
        MatrixAuth auth = start();
        SessionTokens tokens = auth.refreshTokens().issue(ALICE, "DEV", false);
        clock.advance(5 * MINUTE + 1);
        MatrixException e = assertThrows(MatrixException.class, () -> resolve(auth, tokens.accessToken()));
        assertEquals(List.of(401, "M_UNKNOWN_TOKEN", "Access token has expired", Map.of("soft_logout", true)),
                List.of(e.status(), e.errcode(), e.error(), e.extraFields()));
        assertEquals(ALICE, resolve(auth, auth.refreshTokens().refresh(tokens.refreshToken()).accessToken()).userId());
    }

    @Test
    @DisplayName("RFT-1, BLK-7: over the MAU limit a user gets no refresh token, an appservice's ghost does while its users are not tracked")
    void rft1AuthBlockingLetsAnAppserviceGhostThrough() {
        db.rows().user("@bob:test", 0, null, null).device("@bob:test", "DEV").monthlyActive(ALICE, clock.millis());
        MatrixAuth auth = start("limit_usage_by_mau", "true", "max_mau_value", "1");
        assertRefused(403, "M_RESOURCE_LIMIT_EXCEEDED", "Monthly Active User Limit Exceeded",
                () -> auth.refreshTokens().issue("@bob:test", "DEV", false));
        assertEquals("@bob:test", resolve(auth, auth.refreshTokens().issue("@bob:test", "DEV", true).accessToken()).userId());
    }

    private void assertEndsTheRefreshTokens(Consumer<MatrixAuth> change) {
        MatrixAuth auth = start();
        SessionTokens first = auth.refreshTokens().issue(ALICE, "DEV", false);
        SessionTokens second = auth.refreshTokens().refresh(first.refreshToken());
        resolve(auth, second.accessToken());
        change.accept(auth);
        assertEquals(0, count("SELECT COUNT(*) FROM refresh_tokens"));
        assertRefused(401, "M_UNKNOWN_TOKEN", "refresh token does not exist",
                () -> auth.refreshTokens().refresh(second.refreshToken()));
        assertRefused(401, "M_UNKNOWN_TOKEN", "Unrecognised access token", () -> resolve(auth, second.accessToken()));
    }

    @Test
    @DisplayName("RFT-7: logout deletes the device's refresh tokens")
    void rft7LogoutDeletesTheRefreshTokens() {
        assertEndsTheRefreshTokens(auth -> auth.accounts().logOut(resolve(auth, auth.refreshTokens().issue(ALICE, "DEV", false).accessToken())));
    }

    @Test
    @DisplayName("RFT-7: logout/all deletes the user's refresh tokens")
    void rft7LogoutAllDeletesTheRefreshTokens() {
        assertEndsTheRefreshTokens(auth -> auth.accounts().logOutEverywhere(ALICE));
    }

    @Test
    @DisplayName("RFT-7: deleting the device deletes its refresh tokens")
    void rft7DeviceDeletionDeletesTheRefreshTokens() {
        assertEndsTheRefreshTokens(auth -> auth.accounts().deleteDevice(ALICE, "DEV"));
    }

    @Test
    @DisplayName("RFT-7: deactivation deletes the user's refresh tokens")
    void rft7DeactivationDeletesTheRefreshTokens() {
        assertEndsTheRefreshTokens(auth -> auth.accounts().deactivate(ALICE));
    }

    @Test
    @DisplayName("RFT-4: two nodes refreshing one token at once: the database's row lock orders them, one pair survives")
    void rft4ConcurrentRefreshesOnTwoNodesLeaveOneSuccessor() throws Exception {
        MatrixAuth one = start();
        MatrixAuth other = start();
        SessionTokens first = one.refreshTokens().issue(ALICE, "DEV", false);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<SessionTokens>> answers = pool.invokeAll(List.<Callable<SessionTokens>>of(
                    () -> one.refreshTokens().refresh(first.refreshToken()),
                    () -> other.refreshTokens().refresh(first.refreshToken())));
            for (Future<SessionTokens> answer : answers) {
                answer.get(); // neither fails: a retry before use is allowed (RFT-4)
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(2, count("SELECT COUNT(*) FROM refresh_tokens"), "the first and one successor");
        assertEquals(2, count("SELECT COUNT(*) FROM access_tokens"));
        assertEquals(count("SELECT id FROM refresh_tokens WHERE next_token_id IS NULL"),
                count("SELECT next_token_id FROM refresh_tokens WHERE next_token_id IS NOT NULL"));
        assertFalse(count("SELECT COUNT(*) FROM access_tokens a JOIN refresh_tokens r ON a.refresh_token_id = r.id"
                + " WHERE r.next_token_id IS NULL") != 1, "the survivor's access token");
    }
}
