package org.matrixauth.cache;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CACHE-3's rule for the time this node is not told of changes, in one place. While the change
 * listener proves it is alive (a round trip every {@link ChangeListener#POLL_MS} ms), entries live
 * the long lifetime. When it stops (its connection fails, or it is silent for
 * {@link #SILENCE_LIMIT_MS} ms whatever the network does, checked every {@link #CHECK_INTERVAL_MS}
 * ms from a thread of its own), this
 * node cannot know what changed since. By default every cached entry goes at once, and new ones
 * live at most {@code lifetime_without_notifications}: the bound holds in a network partition, where
 * other nodes, Synapse or an operator can still revoke, as well as in an outage.
 *
 * <p>With {@code auth_cache.lifetime_during_outage} set, the operator trades that bound for
 * availability: the entries cached so far stay, for at most that long, while the database cannot
 * be reached at all, so logged-in clients keep working through a short outage. A partition that
 * hides the database from this node looks the same from here, so a revocation made meanwhile is
 * not seen here for as long. As soon as the database is found reachable, changes are being
 * missed: everything goes.
 */
public final class ListenerHealth {
    /** Without proof of life for this long, the listener counts as lost; with the check's interval, within CACHE-3's second. */
    static final long SILENCE_LIMIT_MS = 700;
    public static final long CHECK_INTERVAL_MS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(ListenerHealth.class);

    private final AuthCaches caches;
    private final Runnable whenLost;
    private final long keepDuringOutageNanos;
    private volatile long aliveAt = System.nanoTime();
    /** While entries are kept through an outage: the System.nanoTime() at which they go; guarded by this. */
    private Long keepUntil;

    /**
     * @param lifetimeDuringOutage {@code auth_cache.lifetime_during_outage}; zero: nothing is kept
     * @param whenLost told each time the listener is lost: the database may be gone too (OBS-5)
     */
    public ListenerHealth(AuthCaches caches, Duration lifetimeDuringOutage, Runnable whenLost) {
        this.caches = caches;
        this.whenLost = whenLost;
        this.keepDuringOutageNanos = lifetimeDuringOutage.toNanos();
    }

    /** Listening, and requests reach the database: long lifetime, and what was cached before goes. */
    synchronized void listening() {
        aliveAt = System.nanoTime();
        keepUntil = null;
        caches.notificationsResumed();
    }

    /** Monotonic time, not the configured clock: liveness is about the network, not about what the clock says. */
    void alive() {
        aliveAt = System.nanoTime();
    }

    /**
     * Notifications stopped. Logged once, by whichever thread notices first (the listener on an
     * error, the watchdog on silence); no token or database message is part of {@code why}.
     *
     * @return whether this call found the listener lost (false: it was not listening)
     */
    synchronized boolean lost(String why) {
        if (!caches.notified()) {
            return false;
        }
        caches.notificationsStopped();
        whenLost.run();
        if (keepDuringOutageNanos > 0) {
            keepUntil = System.nanoTime() + keepDuringOutageNanos;
            LOG.warn("Change notifications lost ({}): while the database cannot be reached, cached entries are kept"
                    + " for at most {} ms (auth_cache.lifetime_during_outage)", why, keepDuringOutageNanos / 1_000_000);
        } else {
            caches.invalidateAll();
            LOG.warn("Change notifications lost ({}): cached entries dropped, new ones live at most"
                    + " auth_cache.lifetime_without_notifications until the listener is back", why);
        }
        return true;
    }

    /** Whether entries are being kept through an outage, so it matters whether the database is reachable. */
    synchronized boolean keepingThroughOutage() {
        return keepUntil != null;
    }

    /** Notifications are lost but the database answers: changes made there are going unseen. */
    synchronized void databaseReachable() {
        if (keepUntil != null) {
            keepUntil = null;
            caches.invalidateAll();
            LOG.warn("The database answers, but not with change notifications: cached entries dropped");
        }
    }

    /**
     * Called every {@link #CHECK_INTERVAL_MS} ms from the watchdog's own thread, which nothing
     * else uses, so that a listener stuck on a dead socket (no error, just silence) is found out.
     *
     * @return true when the listener has just been found silent: its connection is to be aborted
     */
    synchronized boolean check() {
        long now = System.nanoTime();
        if (keepUntil != null && now - keepUntil >= 0) {
            keepUntil = null;
            caches.invalidateAll();
            LOG.warn("The database has been out of reach longer than auth_cache.lifetime_during_outage: cached entries dropped");
        }
        long silentMs = (now - aliveAt) / 1_000_000;
        return caches.notified() && silentMs > SILENCE_LIMIT_MS
                && lost("no sign of life from the listening connection for " + silentMs + " ms");
    }
}
