package org.matrixauth;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.matrixauth.error.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filter's background work, each kind on a thread of its own so that none can hold up
 * another: above all, nothing can starve the change listener's watchdog, on which the revocation
 * bound rests when the network goes silent (CACHE-3). Threads start with the first task.
 */
final class BackgroundWork {
    /** What runs together on one thread. */
    enum Lane {
        /** Checks, no I/O: the listener's watchdog. */
        WATCHDOG("watchdog"),
        /** The database probe (OBS-5), which may wait for an answer up to its timeout. */
        PROBE("probe"),
        /** Writing what requests left behind: client IPs (TRK-3), MAU counts that failed (TRK-6). */
        WRITES("flush"),
        /** Hourly and possibly long: pruning user_ips (TRK-7), reaping MAU (MAU-2), the audit's summaries (OBS-4). */
        UPKEEP("upkeep");

        private final String threadName;

        Lane(String threadName) {
            this.threadName = "matrix-auth-filter-" + threadName;
        }
    }

    /**
     * How long {@link #stop} waits for the final flush: a database that does not answer must not
     * hold the container's shutdown; closing the pool next then aborts the flush's statement.
     */
    static final long FINAL_FLUSH_WAIT_MS = 3_000;
    /** How long the other lanes get to finish a run under way. */
    private static final long LANE_STOP_WAIT_MS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundWork.class);

    private final Map<Lane, ScheduledExecutorService> lanes = new EnumMap<>(Lane.class);

    BackgroundWork() {
        for (Lane lane : Lane.values()) {
            lanes.put(lane, Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, lane.threadName);
                thread.setDaemon(true);
                return thread;
            }));
        }
    }

    /** Runs the task every interval, the first time one interval from now; a failing run is logged and the next one still happens. */
    void every(Lane lane, long intervalMs, String what, Runnable task) {
        lanes.get(lane).scheduleWithFixedDelay(() -> run(what, task), intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    private static void run(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("Background work failed ({}): {}", what, Failures.describe(e));
        }
    }

    /**
     * Stops every lane, and runs {@code finalFlush} on the writes lane once the run under way there
     * (if any) is done, waiting for it at most {@link #FINAL_FLUSH_WAIT_MS}.
     */
    void stop(Runnable finalFlush) throws InterruptedException {
        Lane[] others = {Lane.WATCHDOG, Lane.PROBE, Lane.UPKEEP};
        for (Lane lane : others) {
            lanes.get(lane).shutdownNow();
        }
        ScheduledExecutorService writes = lanes.get(Lane.WRITES);
        writes.execute(() -> run("the final flush", finalFlush));
        writes.shutdown(); // cancels the periodic runs; the final flush, already queued, still runs
        if (!writes.awaitTermination(FINAL_FLUSH_WAIT_MS, TimeUnit.MILLISECONDS)) {
            LOG.error("The final flush did not finish within {} ms: what it had not written is lost", FINAL_FLUSH_WAIT_MS);
            writes.shutdownNow();
        }
        for (Lane lane : others) {
            if (!lanes.get(lane).awaitTermination(LANE_STOP_WAIT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("{} is still busy; it ends when the pool, closed next, aborts its statement", lane.threadName);
            }
        }
    }
}
