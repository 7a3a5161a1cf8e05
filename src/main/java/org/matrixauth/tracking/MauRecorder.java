package org.matrixauth.tracking;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.matrixauth.error.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TRK-6 beside a request without ever failing it. Counting a user now and then needs the database
 * (a user not in the last-seen cache, the hourly refresh); when that fails, the request whose
 * token is valid goes on, the user is queued, and {@link #retry()} counts them on the
 * background's next run. Until a retry gets through, the database is taken to be away and users
 * due for counting are queued without trying it, so requests do not each wait for the pool. Each
 * failure is counted for the metrics; one line is logged per run of failures, with no token.
 */
public final class MauRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(MauRecorder.class);

    private final MonthlyActiveUsers monthlyActiveUsers;
    private final int queueLimit;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicLong failures = new AtomicLong();

    /** @param queueLimit users held for a retry; beyond it a failed user waits for their next request */
    public MauRecorder(MonthlyActiveUsers monthlyActiveUsers, int queueLimit) {
        this.monthlyActiveUsers = monthlyActiveUsers;
        this.queueLimit = queueLimit;
    }

    /** @param now the request's time (epoch milliseconds) */
    public void record(String userId, long now) {
        if (!monthlyActiveUsers.needsCounting(userId, now)) {
            return;
        }
        if (failing.get()) {
            queue(userId);
            return;
        }
        try {
            monthlyActiveUsers.populate(userId);
        } catch (RuntimeException e) {
            failed(e);
            queue(userId);
        }
    }

    /**
     * From the background: the queued users are counted again, until one fails (the database is
     * still away: the others wait for the next run rather than each waiting for the pool).
     */
    public void retry() {
        for (String userId : List.copyOf(queued)) {
            try {
                monthlyActiveUsers.populate(userId);
                queued.remove(userId);
            } catch (RuntimeException e) {
                failed(e);
                return;
            }
        }
        if (failing.compareAndSet(true, false)) {
            LOG.info("Counting monthly active users works again; the users queued meanwhile are counted");
        }
    }

    private void failed(RuntimeException e) {
        failures.incrementAndGet();
        if (failing.compareAndSet(false, true)) {
            LOG.warn("Counting monthly active users failed ({}); requests go on, and the users are counted once the"
                    + " database answers again", Failures.describe(e));
        }
    }

    private void queue(String userId) {
        if (queued.size() < queueLimit) {
            queued.add(userId);
        }
    }

    /** Attempts to count a user that the database refused (on requests and retries). */
    public long failures() {
        return failures.get();
    }

    /** Users waiting to be counted. */
    public int queued() {
        return queued.size();
    }
}
