package org.matrixauth.cache;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A counter every eviction advances before it drops anything. A load notes it before reading the
 * database; if it has moved once the loaded value is in the cache, an eviction may have looked
 * for the value before it was there, so the load takes it out again ({@link IndexedCache}).
 */
final class LoadEpoch {
    private final AtomicLong value = new AtomicLong();

    long current() {
        return value.get();
    }

    void advance() {
        value.incrementAndGet();
    }

    /**
     * A compare-and-set, not a read: as a write it orders everything the loader did before (putting
     * its value in the cache) before any later {@link #advance()}, whose eviction then sees that
     * value; a plain read would give no such order.
     */
    boolean unchangedSince(long seen) {
        return value.compareAndSet(seen, seen);
    }
}
