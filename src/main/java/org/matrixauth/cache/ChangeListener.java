package org.matrixauth.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CACHE-3: listens on its own PostgreSQL connection (outside the request pool) for what the
 * project's triggers publish, and evicts what changed. While it is not listening (not yet, lost
 * connection, or silent for too long) the caches are told so: they drop everything and fall back
 * to the short lifetime, so the bound holds; it reconnects by itself.
 */
public final class ChangeListener implements AutoCloseable {
    static final String CHANNEL = "matrix_auth_filter";
    /** How long one wait for notifications lasts; also how often the connection proves it is alive. */
    static final int POLL_MS = 200;
    /** Without proof of life for this long, the listener counts as lost (a silently dead socket). */
    static final long SILENCE_LIMIT_MS = 700;
    private static final long MAX_BACKOFF_MS = 5_000;
    /** How many times, each as long as a request would wait, a reconnection waits for the request pool. */
    static final int REQUEST_POOL_WAITS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(ChangeListener.class);

    private final Connections connections;
    private final Runnable requestPoolProbe;
    private final AuthCaches caches;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long aliveAt;
    private volatile Connection connection;

    /**
     * @param connections the listener's own connections
     * @param requestPoolProbe takes a connection from the request pool and gives it back; throws
     *     when none comes within the pool's wait
     */
    public ChangeListener(Connections connections, Runnable requestPoolProbe, AuthCaches caches, Clock clock) {
        this.connections = connections;
        this.requestPoolProbe = requestPoolProbe;
        this.caches = caches;
        this.clock = clock;
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
                statement.execute("LISTEN " + CHANNEL);
                PGConnection postgres = listening.unwrap(PGConnection.class);
                awaitRequestPool();
                aliveAt = clock.millis();
                caches.setNotified(true);
                LOG.info("Listening for changes to cached rows on PostgreSQL channel {}", CHANNEL);
                backoff = POLL_MS;
                while (running) {
                    PGNotification[] notifications = postgres.getNotifications(POLL_MS);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            evict(notification.getParameter());
                        }
                    }
                    statement.execute("SELECT 1"); // proof of life, even when nothing changes
                    aliveAt = clock.millis();
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    connectionFailed(e);
                    sleep(backoff);
                    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
                }
            }
        }
    }

    /**
     * Entries kept through an outage are dropped (by {@code setNotified(true)}) only once requests
     * can reach the database again. The listener's connection can come back seconds before the
     * request pool's: HikariCP retries with a backoff of up to 5 s, longer than a request waits,
     * and in between a request for a dropped entry would be answered 500. Outside an outage the
     * pool answers at once. Notifications arriving meanwhile wait on the connection.
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
     * Called every few hundred milliseconds from outside: a listener stuck on a dead socket throws
     * nothing, so its connection is aborted, which wakes it into {@link #connectionFailed}.
     */
    public void checkAlive() {
        Connection stuck = connection;
        if (caches.notified() && clock.millis() - aliveAt > SILENCE_LIMIT_MS && stuck != null) {
            LOG.warn("No sign of life from the listening connection for {} ms: reconnecting", SILENCE_LIMIT_MS);
            try {
                stuck.abort(Runnable::run);
            } catch (SQLException e) {
                LOG.debug("aborting the stuck listening connection failed", e);
            }
        }
    }

    /**
     * From now on new entries get the short lifetime. If the database itself is unreachable,
     * nothing can be revoked in it either: the entries cached so far stay (a database outage must
     * not log everyone out) and the reconnection drops them. If it is reachable, changes may be
     * going unseen: everything is dropped now, so the bound holds.
     */
    private void connectionFailed(Exception e) {
        boolean wasListening = caches.notified();
        caches.databaseUnreachable();
        if (databaseReachable()) {
            caches.setNotified(false);
            if (wasListening) {
                LOG.warn("Change notifications lost ({}); caches dropped, short lifetime until reconnected",
                        e.getClass().getName());
            }
        } else if (wasListening) {
            LOG.warn("Change notifications stopped: the database is unreachable; cached entries are kept until it returns");
        }
    }

    private boolean databaseReachable() {
        try (Connection probe = connections.open()) {
            return probe.isValid(1);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** Payloads name what changed by id (never by token); one that cannot be read evicts everything. */
    void evict(String payload) {
        try {
            JsonNode change = JSON.readTree(payload);
            switch (change.path("table").asText()) {
                case "access_tokens" -> caches.invalidateToken(change.path("id").asLong());
                case "users", "account_validity" -> caches.invalidateUser(change.path("user_id").asText());
                case "devices" -> caches.invalidateDevice(change.path("user_id").asText(), change.path("device_id").asText());
                default -> caches.invalidateAll();
            }
        } catch (IOException e) {
            caches.invalidateAll();
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

    @Override
    public void close() throws InterruptedException {
        running = false;
        Connection listening = connection;
        if (listening != null) {
            try {
                listening.abort(Runnable::run);
            } catch (SQLException e) {
                LOG.debug("closing the listening connection failed", e);
            }
        }
        thread.join(5_000);
    }

    /** Where the listener gets its connection from. */
    @FunctionalInterface
    public interface Connections {
        Connection open() throws SQLException;
    }
}
