package org.matrixauth.cache;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

/** Where every Caffeine cache of the library starts from. */
public final class CacheBuilders {
    private CacheBuilders() {}

    /**
     * A builder whose entries expire on the library's clock (the builder's, {@code MatrixAuth.Builder.clock}),
     * so that a test that moves the clock moves every expiry with it, and whose upkeep (draining
     * the read buffer, expiring, evicting by size, removal notices) runs on the thread that uses
     * the cache, as part of a read or write, instead of in {@code ForkJoinPool.commonPool()}.
     * Caffeine hands upkeep over about once every 16 reads of a cache; on a request thread that
     * submission and the pool thread it wakes cost more than the upkeep itself, which is a few
     * entries moved under a lock no reader waits for.
     */
    public static Caffeine<Object, Object> newBuilder(Clock clock) {
        return sizeBoundOnly().ticker(ticker(clock));
    }

    /** For a cache bounded by size alone: it never reads the time, so it needs no clock. */
    public static Caffeine<Object, Object> sizeBoundOnly() {
        return Caffeine.newBuilder().executor(Runnable::run);
    }

    /**
     * The library's clock as a source of nanoseconds for what measures time spans (expiries, the
     * flood limiter's refills). The system clock keeps Caffeine's own ticker ({@link System#nanoTime()}: it never steps back
     * when the wall clock is set); any other clock is read in milliseconds, which is as fine as
     * any lifetime here is set.
     */
    public static Ticker ticker(Clock clock) {
        if (clock.withZone(ZoneOffset.UTC).equals(Clock.systemUTC())) {
            return Ticker.systemTicker();
        }
        return () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
    }
}
