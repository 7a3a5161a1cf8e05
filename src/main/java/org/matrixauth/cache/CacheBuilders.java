package org.matrixauth.cache;

import com.github.benmanes.caffeine.cache.Caffeine;

/** Where every Caffeine cache of the library starts from. */
public final class CacheBuilders {
    private CacheBuilders() {}

    /**
     * A builder whose upkeep (draining the read buffer, expiring, evicting by size, removal
     * notices) runs on the thread that uses the cache, as part of a read or write, instead of in
     * {@code ForkJoinPool.commonPool()}. Caffeine hands upkeep over about once every 16 reads of a
     * cache; on a request thread that submission and the pool thread it wakes cost more than the
     * upkeep itself, which is a few entries moved under a lock no reader waits for.
     */
    public static Caffeine<Object, Object> newBuilder() {
        return Caffeine.newBuilder().executor(Runnable::run);
    }
}
