package org.matrixauth.cache;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Clock;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.matrixauth.config.CacheConfig;
import org.matrixauth.store.TokenLookup;
import org.postgresql.PGNotification;
import org.postgresql.core.Notification;

/** CACHE-3: what a batch of notifications evicts. */
class ChangeEvictionsTest {
    private final AuthCaches caches = new AuthCaches(CacheConfig.DEFAULT, Clock.systemUTC());
    private final ChangeEvictions evictions = new ChangeEvictions(caches);

    @BeforeEach
    void cache() {
        caches.tokens().get("named", token -> lookup(1L, "@alice:test"));
        caches.tokens().get("unrelated", token -> lookup(2L, "@bob:test"));
    }

    private static TokenLookup lookup(long id, String userId) {
        return new TokenLookup(userId, userId, id, "DEV" + id, null, true, false, false, false, false, false);
    }

    private static PGNotification tokenChanged(long id) {
        return new Notification("matrix_auth_filter", 0, "{\"table\": \"access_tokens\", \"id\": " + id + "}");
    }

    @Test
    void cache3ASmallBatchEvictsOnlyTheRowsItNames() {
        evictions.apply(new PGNotification[] {tokenChanged(1), tokenChanged(99)});
        assertNull(caches.tokens().getIfPresent("named"));
        assertNotNull(caches.tokens().getIfPresent("unrelated"));
    }

    @Test
    void cache3ABulkChangeIsOneInvalidationOfEverything() {
        evictions.apply(IntStream.rangeClosed(100, 100 + ChangeEvictions.LARGE_BATCH)
                .mapToObj(ChangeEvictionsTest::tokenChanged).toArray(PGNotification[]::new));
        assertNull(caches.tokens().getIfPresent("unrelated"), "more than " + ChangeEvictions.LARGE_BATCH + ": everything goes");
    }

    @Test
    void cache3APayloadThatCannotBeReadEvictsEverything() {
        evictions.apply(new PGNotification[] {new Notification("matrix_auth_filter", 0, "not json")});
        assertNull(caches.tokens().getIfPresent("unrelated"));
    }
}
