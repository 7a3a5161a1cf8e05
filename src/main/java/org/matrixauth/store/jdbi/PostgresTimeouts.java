package org.matrixauth.store.jdbi;

import java.util.Properties;

/**
 * Bounds on every PostgreSQL connection the filter opens itself, handed to the driver as defaults
 * (a parameter of the same name in the JDBC URL wins). Without them a silent partition (packets
 * dropped, no reset) holds a read until the kernel gives up on the connection, some 15 minutes:
 * the client-IP flush, the pruning, a request on a cache miss and a reconnecting listener with it.
 */
final class PostgresTimeouts {
    /** The TCP handshake (pgjdbc's {@code connectTimeout}, in seconds). */
    static final int CONNECT_SECONDS = 5;
    /**
     * The server cancels a statement that runs longer: a lock held elsewhere cannot hold a request
     * (or the flush) for long, and the connection stays usable. Each statement of a batch has its own.
     */
    static final String STATEMENT_TIMEOUT = "5s";
    /** A read on a request-pool connection fails after this long without a byte: longer than the statement timeout, so the server's cancel comes first. */
    static final int REQUEST_SOCKET_SECONDS = 10;
    /**
     * What a request's own statements wait for the server's answer (OBS-5: a request is answered
     * within a second in a silent partition). The stores a request uses run indexed lookups and
     * one-row writes, milliseconds each; the background writes keep {@link #REQUEST_SOCKET_SECONDS}.
     */
    static final int REQUEST_READ_MS = 700;
    /**
     * The listener's round trips take milliseconds; its watchdog aborts it after 0.7 s of silence
     * anyway. This bounds what the watchdog cannot abort: opening a connection (and probing the
     * database), each step of which waits this long at most; with {@code sslmode=prefer} (the
     * default) an attempt that gets no answer is made twice, so it fails after two seconds.
     */
    static final int LISTENER_SECONDS = 1;

    private PostgresTimeouts() {}

    static Properties requestPool() {
        Properties properties = new Properties();
        properties.setProperty("connectTimeout", Integer.toString(CONNECT_SECONDS));
        properties.setProperty("socketTimeout", Integer.toString(REQUEST_SOCKET_SECONDS));
        properties.setProperty("options", "-c statement_timeout=" + STATEMENT_TIMEOUT);
        return properties;
    }

    static Properties listener() {
        Properties properties = new Properties();
        properties.setProperty("connectTimeout", Integer.toString(LISTENER_SECONDS));
        properties.setProperty("socketTimeout", Integer.toString(LISTENER_SECONDS));
        return properties;
    }
}
