package org.matrixauth.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.matrixauth.config.CacheConfig;
import org.matrixauth.store.TokenLookup;

/**
 * CACHE-2/3 at the cache itself, without a database: each kind of invalidation, made while a
 * lookup is between its read and its store, keeps the lookup's value out of the cache; made
 * after, it finds the value through the index (token id, user, owner, device).
 */
class IndexedCacheTest {
    /** An admin's puppet token acting as Alice, on the admin's device, not yet marked used. */
    static final TokenLookup PUPPET = new TokenLookup("@alice:test", "@admin:test", 7L, "DEV", null, false, false, false,
            false, false, false);

    private final AuthCaches caches = new AuthCaches(CacheConfig.DEFAULT, Clock.systemUTC());

    static Stream<Arguments> invalidations() {
        return Stream.of(
                Arguments.of("token id", (Consumer<AuthCaches>) c -> c.invalidateToken(7L)),
                Arguments.of("token", (Consumer<AuthCaches>) c -> c.invalidateToken("tok")),
                Arguments.of("user acted as", (Consumer<AuthCaches>) c -> c.invalidateUser("@alice:test")),
                Arguments.of("token owner", (Consumer<AuthCaches>) c -> c.invalidateUser("@admin:test")),
                Arguments.of("owner's device", (Consumer<AuthCaches>) c -> c.invalidateDevice("@admin:test", "DEV")),
                Arguments.of("everything", (Consumer<AuthCaches>) AuthCaches::invalidateAll));
    }

    @ParameterizedTest(name = "CACHE-3 invalidated by {0} during the lookup: not kept")
    @MethodSource("invalidations")
    void cache3AnInvalidationDuringALoadKeepsItsValueOut(String what, Consumer<AuthCaches> invalidation) throws Exception {
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch invalidated = new CountDownLatch(1);
        CompletableFuture<TokenLookup> load = CompletableFuture.supplyAsync(() -> caches.tokens().get("tok", token -> {
            read.countDown();
            await(invalidated);
            return PUPPET;
        }));
        await(read);
        CompletableFuture<Void> invalidating = CompletableFuture.runAsync(() -> invalidation.accept(caches));
        try {
            invalidating.get(200, TimeUnit.MILLISECONDS); // done while the lookup waits: by subject, or everything
        } catch (TimeoutException waitsForTheLookup) {
            // By the token itself: Caffeine makes the invalidation wait for the lookup of that key, then removes it.
        }
        invalidated.countDown();
        assertEquals(PUPPET, load.get(5, TimeUnit.SECONDS), "the caller still gets what it read");
        invalidating.get(5, TimeUnit.SECONDS);
        assertNull(caches.tokens().getIfPresent("tok"), "but it is not cached");
    }

    @ParameterizedTest(name = "CACHE-2 invalidated by {0} after the lookup: found through the index")
    @MethodSource("invalidations")
    void cache2AnInvalidationAfterALoadFindsItsValue(String what, Consumer<AuthCaches> invalidation) {
        caches.tokens().get("tok", token -> PUPPET);
        caches.tokens().get("other", token -> new TokenLookup("@bob:test", "@bob:test", 8L, "BOB", null, true, false,
                false, false, false, false));
        invalidation.accept(caches);
        assertNull(caches.tokens().getIfPresent("tok"));
        if (!what.equals("everything")) {
            assertNotNull(caches.tokens().getIfPresent("other"), "an unrelated token stays");
        }
    }

    @Test
    void cache2AValueUpdatedInTheCacheIsStillIndexed() {
        caches.tokens().get("tok", token -> PUPPET);
        caches.tokens().update("tok", TokenLookup::asUsed);
        caches.invalidateDevice("@admin:test", "DEV");
        assertNull(caches.tokens().getIfPresent("tok"));
    }

    @Test
    void cache2ALoadAfterAnInvalidationIsKept() {
        caches.invalidateUser("@alice:test");
        caches.tokens().get("tok", token -> PUPPET);
        assertEquals(PUPPET, caches.tokens().getIfPresent("tok"));
    }

    /** What the cache metrics count: a lookup is one hit or one miss, its load counts nothing more. */
    @Test
    @DisplayName("CACHE-1: hit and miss counts, as exported, count each lookup once")
    void cache1ALookupCountsAsOneHitOrOneMiss() {
        caches.tokens().get("tok", token -> PUPPET);
        caches.tokens().get("tok", token -> PUPPET);
        caches.tokens().get("unknown", token -> null);
        assertEquals(1, caches.tokens().stats().hitCount());
        assertEquals(2, caches.tokens().stats().missCount());
    }

    /**
     * Most hits are quiet looks (IndexedCache.TOLD_READ_SAMPLE): the eviction policy must still see
     * which entry is in use. A cache of 100 tokens takes 20,000 others, each read a few times, while
     * one token is read between each of them: that token is never evicted (never loaded again).
     */
    @Test
    @DisplayName("CACHE-1 a full cache keeps the token in use while thousands of others pass through it")
    void cache1AFullCacheKeepsTheTokenInUse() {
        IndexedCache<String, TokenLookup> tokens = new AuthCaches(new CacheConfig(100, 100, 100, Duration.ofHours(1),
                Duration.ofHours(1), Duration.ZERO, false, null), Clock.systemUTC()).tokens();
        AtomicInteger hotLoads = new AtomicInteger();
        for (int i = 0; i < 20_000; i++) {
            for (int read = 0; read < 3; read++) {
                tokens.get("passing_" + i, token -> PUPPET);
            }
            for (int read = 0; read < 10; read++) {
                tokens.get("in_use", token -> {
                    hotLoads.incrementAndGet();
                    return PUPPET;
                });
            }
        }
        tokens.caffeine().cleanUp();
        assertEquals(1, hotLoads.get(), "the token in use was loaded once, and stayed");
        assertTrue(tokens.caffeine().estimatedSize() <= 100, "bounded: " + tokens.caffeine().estimatedSize());
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(5, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
