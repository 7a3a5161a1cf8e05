package org.matrixauth.cache;

import org.matrixauth.MatrixAuthInternals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.matrixauth.MatrixAuth;
import org.matrixauth.auth.AuthOptions;
import org.matrixauth.auth.ClientRequest;
import org.matrixauth.auth.Requester;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.error.MatrixException;
import org.matrixauth.testing.H2Databases;
import org.matrixauth.testing.MutableClock;
import org.matrixauth.testing.SynapseRows;

/**
 * CACHE-1, CACHE-2 and CACHE-4 on H2 (no notifications): entries are served from memory, a change
 * made through the library is seen by the very next request, and a change made behind the
 * library's back within the configured lifetime.
 */
class CacheRevocationTest {
    private final MutableClock clock = new MutableClock(System.currentTimeMillis());
    private MatrixAuth auth;
    private SynapseRows rows;

    @BeforeEach
    void start() {
        auth = MatrixAuth.builder(AuthConfig.load(Map.of("server_name", "test", "database", H2Databases.uniqueUrl(),
                "auth_cache.lifetime_without_notifications", "300"))).clock(clock).start();
        rows = new SynapseRows(MatrixAuthInternals.jdbi(auth));
        rows.user("@alice:test").device("@alice:test", "DEV").token("@alice:test", "alice_token", "DEV");
        rows.token("@alice:test", "second_token", "OTHER");
        rows.user("@admin:test", true, false).token("@admin:test", "puppet_token", "PDEV", "@alice:test", null);
    }

    @AfterEach
    void stop() throws Exception {
        auth.close();
    }

    private Requester resolve(String token) {
        return auth.authentication().authenticate(new ClientRequest(List.of("Bearer " + token), Map.of(), "127.0.0.1", null),
                AuthOptions.STRICT);
    }

    private String refusal(String token) {
        return assertThrows(MatrixException.class, () -> resolve(token)).errcode();
    }

    private long tokenCacheHits() {
        return MatrixAuthInternals.caches(auth).tokens().stats().hitCount();
    }

    @Test
    void cache1AKnownTokenIsServedFromMemory() {
        resolve("alice_token");
        long hits = tokenCacheHits();
        resolve("alice_token");
        assertEquals(hits + 1, tokenCacheHits());
    }

    @Test
    void cache2DeletingATokenThroughTheLibraryIsSeenAtOnce() {
        resolve("alice_token");
        auth.accounts().deleteToken("alice_token");
        assertEquals("M_UNKNOWN_TOKEN", refusal("alice_token"));
        assertEquals("@alice:test", resolve("second_token").userId(), "other tokens stay");
    }

    @Test
    void cache2LoggingOutADeviceIsSeenAtOnce() {
        resolve("alice_token");
        resolve("second_token");
        auth.accounts().deleteDevice("@alice:test", "DEV");
        assertEquals("M_UNKNOWN_TOKEN", refusal("alice_token"));
        assertEquals("@alice:test", resolve("second_token").userId());
    }

    @Test
    void cache2LoggingOutEverywhereIsSeenAtOnce() {
        resolve("alice_token");
        resolve("second_token");
        auth.accounts().logOutEverywhere("@alice:test");
        assertEquals("M_UNKNOWN_TOKEN", refusal("alice_token"));
        assertEquals("M_UNKNOWN_TOKEN", refusal("second_token"));
    }

    @Test
    void cache2LockingIsSeenAtOnceAlsoThroughAPuppetToken() {
        resolve("alice_token");
        resolve("puppet_token");
        auth.accounts().setLocked("@alice:test", true);
        assertEquals("M_USER_LOCKED", refusal("alice_token"));
        assertEquals("M_USER_LOCKED", refusal("puppet_token"));
        auth.accounts().setLocked("@alice:test", false);
        assertEquals("@alice:test", resolve("alice_token").userId());
    }

    @Test
    void cache2ShadowBanIsSeenAtOnce() {
        assertFalse(resolve("alice_token").shadowBanned());
        auth.accounts().setShadowBanned("@alice:test", true);
        assertTrue(resolve("alice_token").shadowBanned());
    }

    @Test
    void cache2AdminChangeIsSeenAtOnce() {
        assertTrue(MatrixAuthInternals.users(auth).isServerAdmin("@admin:test"));
        auth.accounts().setAdmin("@admin:test", false);
        assertFalse(MatrixAuthInternals.users(auth).isServerAdmin("@admin:test"));
    }

    @Test
    void cache2DeactivationIsSeenAtOnce() {
        resolve("alice_token");
        auth.accounts().deactivate("@alice:test");
        assertEquals("M_UNKNOWN_TOKEN", refusal("alice_token"));
        assertTrue(MatrixAuthInternals.users(auth).findUser("@alice:test").orElseThrow().deactivated());
    }

    @Test
    void cache2ReactivationIsSeenAtOnce() {
        auth.accounts().deactivate("@alice:test");
        assertTrue(auth.accounts().user("@alice:test").orElseThrow().deactivated());
        auth.accounts().reactivate("@alice:test");
        assertFalse(auth.accounts().user("@alice:test").orElseThrow().deactivated());
        assertEquals("M_UNKNOWN_TOKEN", refusal("alice_token"), "the tokens deactivation deleted stay deleted");
    }

    @Test
    void cache3WithoutNotificationsAChangeBehindTheLibrarysBackIsSeenWithinTheLifetime() {
        resolve("alice_token");
        rows.lockUser("@alice:test"); // plain SQL, as an operator would
        assertEquals("@alice:test", resolve("alice_token").userId(), "still cached: the change is not yet seen");
        clock.advance(299);
        assertEquals("@alice:test", resolve("alice_token").userId(), "cached for the whole 300 ms lifetime");
        clock.advance(1);
        assertEquals("M_USER_LOCKED", refusal("alice_token"), "seen once the lifetime is over");
    }

    @Test
    void cache4AnUnknownTokenIsNotRememberedAsUnknown() {
        assertEquals("M_UNKNOWN_TOKEN", refusal("new_token"));
        rows.token("@alice:test", "new_token", "NEW");
        assertEquals("@alice:test", resolve("new_token").userId());
    }

    @Test
    @DisplayName("TOK-6: a fresh token is marked used once, by the flush after its first use, in the database and in the cached entry")
    void tok6AFreshTokenIsWrittenOnceEvenWhenCached() {
        rows.token("@alice:test", "fresh_token", "FRESH");
        resolve("fresh_token");
        assertFalse(rows.tokenUsed("fresh_token"), "the request itself writes nothing: the mark is queued");
        MatrixAuthInternals.tokenUseMarks(auth).flush();
        assertTrue(rows.tokenUsed("fresh_token"));
        assertTrue(MatrixAuthInternals.caches(auth).tokens().getIfPresent("fresh_token").used(), "the cached entry knows it too");
    }
}
