package org.matrixauth.cache;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CACHE-3: listens on a PostgreSQL connection of its own (outside the request pool) for what the
 * project's triggers publish, and evicts what changed; beside a Synapse that manages the database
 * (CACHE-5), it follows Synapse's own invalidation stream on the same connection instead of the
 * triggers, and hears what the library's own writes publish. What the caches may keep while it is
 * not listening is {@link ListenerHealth}'s rule; this class reports to it, and reconnects by itself.
 */
public final class ChangeListener implements AutoCloseable {
    /** How long one wait for notifications lasts at most; also how often the connection proves it is alive and the stream is read. */
    static final int POLL_MS = 200;
    private static final long MAX_BACKOFF_MS = 5_000;
    /** How many times, each as long as a request would wait, a reconnection waits for the request pool. */
    static final int REQUEST_POOL_WAITS = 8;
    /**
     * How long {@link #close()} waits for the thread. Longer only while it is opening a connection,
     * which cannot be aborted from outside; the connection's own timeouts end that.
     */
    static final long CLOSE_WAIT_MS = 3_000;
    private static final Logger LOG = LoggerFactory.getLogger(ChangeListener.class);

    private final String channel;
    private final Connections connections;
    private final Runnable requestPoolProbe;
    private final ListenerHealth health;
    private final ChangeEvictions evictions;
    private final InvalidationStream stream;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;

    /**
     * @param channel what the triggers and the library's own writes publish on
     * @param connections the listener's own connections
     * @param requestPoolProbe takes a connection from the request pool and gives it back; throws
     *     when none comes within the pool's wait
     * @param synapseMau where the MAU caches hear of Synapse's changes; null: no invalidation stream
     *     to follow (the triggers publish every change)
     */
    public ChangeListener(String channel, Connections connections, Runnable requestPoolProbe, AuthCaches caches, ListenerHealth health,
                          MauChanges synapseMau) {
        this.channel = channel;
        this.connections = connections;
        this.requestPoolProbe = requestPoolProbe;
        this.health = health;
        this.evictions = new ChangeEvictions(caches);
        this.stream = synapseMau == null ? null : new InvalidationStream(new SynapseInvalidations(caches, synapseMau), caches);
        this.thread = new Thread(this::run, "matrix-auth-filter-change-listener");
        thread.setDaemon(true);
    }

    public ChangeListener start() {
        thread.start();
        return this;
    }

    private void run() {
        long backoff = POLL_MS;
        while (running) {
            try (Connection listening = connections.open(); Statement statement = listening.createStatement()) {
                connection = listening;
                statement.execute("LISTEN " + channel);
                if (stream != null) {
                    stream.startAt(listening); // before the caches are dropped: a change made meanwhile is a row after it
                }
                PGConnection postgres = listening.unwrap(PGConnection.class);
                awaitRequestPool();
                health.listening();
                LOG.info("Listening for changes to cached rows on PostgreSQL channel {}{}", channel,
                        stream != null ? " and following Synapse's cache_invalidation_stream_by_instance" : "");
                backoff = POLL_MS;
                long polledAt = System.nanoTime();
                while (running) {
                    long waitMs = POLL_MS - (System.nanoTime() - polledAt) / 1_000_000;
                    evictions.apply(postgres.getNotifications((int) Math.max(1, waitMs)));
                    polledAt = System.nanoTime();
                    if (stream != null) {
                        stream.poll(listening); // also the proof of life
                    } else {
                        statement.execute("SELECT 1"); // proof of life, even when nothing changes
                    }
                    health.alive();
                }
            } catch (SQLException | RuntimeException e) {
                connection = null;
                if (running) {
                    connectionFailed(e);
                    sleep(backoff);
                    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
                }
            }
        }
    }

    /**
     * Entries kept through an outage ({@code auth_cache.lifetime_during_outage}) are dropped (by
     * {@code listening()}) only once requests can reach the database again. The listener's connection can come back seconds before the request
     * pool's: HikariCP retries with a backoff of up to 5 s, longer than a request waits, and in
     * between a request for a dropped entry would be answered 503. Outside an outage the pool
     * answers at once. Notifications arriving meanwhile wait on the connection.
     */
    private void awaitRequestPool() {
        for (int wait = 0; wait < REQUEST_POOL_WAITS && running; wait++) {
            try {
                requestPoolProbe.run();
                return;
            } catch (RuntimeException stillReconnecting) {
                LOG.debug("the request pool has no connection yet: {}", stillReconnecting.getClass().getName());
            }
        }
    }

    /**
     * From the watchdog's thread: a listener stuck on a dead socket throws nothing, so once it is
     * found silent (and the caches told), its connection is aborted, which wakes it to reconnect.
     */
    public void checkAlive() {
        if (health.check()) {
            abort(connection);
        }
    }

    /** Only while entries are kept through an outage does it matter whether the database is reachable. */
    private void connectionFailed(Exception e) {
        health.lost(e.getClass().getName());
        if (health.keepingThroughOutage() && databaseReachable()) {
            health.databaseReachable();
        }
    }

    private boolean databaseReachable() {
        try (Connection probe = connections.open()) {
            return probe.isValid(1);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private static void abort(Connection listening) {
        if (listening != null) {
            try {
                listening.abort(Runnable::run); // closes the socket: no round trip to a server that may not answer
            } catch (SQLException e) {
                LOG.debug("aborting the listening connection failed", e);
            }
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Tells the listener to stop, without waiting for it: {@link #close()} waits. */
    public void stop() {
        running = false;
        abort(connection);
        thread.interrupt(); // ends a backoff sleep at once
    }

    /** Stops listening; returns within {@link #CLOSE_WAIT_MS}. */
    @Override
    public void close() throws InterruptedException {
        stop();
        thread.join(CLOSE_WAIT_MS);
        if (thread.isAlive()) {
            LOG.warn("The change listener is still opening a connection; it stops when that attempt times out");
        }
    }

    /** Where the listener gets its connection from. */
    @FunctionalInterface
    public interface Connections {
        Connection open() throws SQLException;
    }
}
