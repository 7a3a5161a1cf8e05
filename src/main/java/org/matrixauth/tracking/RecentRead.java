package org.matrixauth.tracking;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A value read at most once a second, however many ask for it: the MAU gauges query the database,
 * and every exporter reads them on each scrape (Micrometer once per series). A failed read is kept
 * as well, so that while the database is away a scrape costs one wait on the pool a second, not
 * one per reader. The age is measured on {@link System#nanoTime()}, not the library's clock, which
 * tests may stop: this bounds load, it decides nothing.
 */
final class RecentRead<T> {
    static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Supplier<T> read;
    private Outcome<T> last;

    RecentRead(Supplier<T> read) {
        this.read = read;
    }

    /** @throws RuntimeException what the read threw, for as long as its outcome is kept */
    synchronized T get() {
        if (last == null || System.nanoTime() - last.at() >= MAX_AGE_NANOS) {
            last = readNow();
        }
        if (last.failure() != null) {
            throw last.failure();
        }
        return last.value();
    }

    /** Timed from its end: a read that waited out the pool's timeout is not old at once. */
    private Outcome<T> readNow() {
        try {
            T value = read.get();
            return new Outcome<>(value, null, System.nanoTime());
        } catch (RuntimeException e) {
            return new Outcome<>(null, e, System.nanoTime());
        }
    }

    private record Outcome<T>(T value, RuntimeException failure, long at) {}
}
