package org.matrixauth.health;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import org.matrixauth.error.Errcode;
import org.matrixauth.error.Failures;
import org.matrixauth.error.MatrixException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node's database answers (OBS-5), so that a request that needs it while it does not
 * is answered 503 at once, not after the pool's and the driver's timeouts, and a load balancer is
 * told the node cannot serve. A connection failure (refused, reset, no answer in time, the pool's
 * wait over without a connection) makes it unreachable; from then on no connection is asked for,
 * and only the probe ({@link #probe}, every {@link #PROBE_INTERVAL_MS} ms from a thread of its own)
 * tries, so recovery is seen within that interval. The probe sends nothing while nothing is
 * suspected: an idle pool's connections then stay idle, so the pool checks each before lending it
 * and drops a dead one quietly. What makes it suspect is the change listener's lost sign of life,
 * which comes within a second of a silent partition even without requests.
 */
public final class DatabaseAvailability {
    /** How often the probe runs while the database is suspected or unreachable. */
    public static final long PROBE_INTERVAL_MS = 250;
    /** How long a probe waits for its answer: silence for this long is an outage. */
    public static final int PROBE_TIMEOUT_MS = 500;
    /** What a 503 tells the client to wait before trying again: the probe will have looked by then. */
    static final long RETRY_AFTER_MS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseAvailability.class);

    /** A round trip to the database, failing when there is no answer in time. */
    @FunctionalInterface
    public interface Probe {
        void roundTrip() throws Exception;
    }

    private volatile Outage outage;
    private volatile boolean suspected;

    private record Outage(long sinceNanos, String why) {}

    /** Whether requests may ask for a connection. */
    public boolean reachable() {
        return outage == null;
    }

    /**
     * Called before a connection is asked for.
     *
     * @throws SQLTransientConnectionException at once, while the database is known unreachable
     */
    public void requireReachable() throws SQLTransientConnectionException {
        Outage current = outage;
        if (current != null) {
            throw new SQLTransientConnectionException("the database is unreachable (" + current.why + ")", "08001");
        }
    }

    /** Something suggests the database no longer answers (the change listener lost it): the probe looks. */
    public void suspect() {
        suspected = true;
    }

    /** Something asked of the database failed: an outage when it is the connection's failure. */
    public void failed(Throwable failure) {
        if (isConnectivityFailure(failure)) {
            lost(Failures.describe(failure));
        }
    }

    /** A connection was had from the pool (the change listener's check after reconnecting): it answers. */
    public void answered() {
        if (outage != null || suspected) {
            recovered();
        }
    }

    /** One probe, while suspected or unreachable: a round trip; any failure of it is an outage. */
    public void probe(Probe probe) {
        if (outage == null && !suspected) {
            return;
        }
        try {
            probe.roundTrip();
        } catch (Exception e) {
            lost(Failures.describe(e));
            return;
        }
        recovered();
    }

    /** Why it cannot be used, or null while it can. */
    public String problem() {
        Outage current = outage;
        return current == null ? null
                : "unreachable for " + (System.nanoTime() - current.sinceNanos) / 1_000_000 + " ms (" + current.why + ")";
    }

    /**
     * What a request that needed the database is told while it cannot be reached (OBS-5): 503
     * {@code M_UNKNOWN} with {@code Retry-After}, not ERR-3's 500, since trying again shortly may work.
     */
    public static MatrixException unavailable() {
        return new MatrixException(503, Errcode.M_UNKNOWN, "The database cannot be reached: try again shortly",
                Map.of("retry_after_ms", RETRY_AFTER_MS));
    }

    /**
     * Whether a failure is the connection's rather than the statement's: JDBC's connection
     * exceptions, SQLSTATE class 08 (connection exception), 57P (the server shut down or is
     * starting: its backends are terminated) or 53300 (no connection slot left), or a socket that
     * failed or timed out, anywhere in the causes.
     */
    public static boolean isConnectivityFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException
                    || cause instanceof SQLRecoverableException || cause instanceof SocketTimeoutException
                    || cause instanceof ConnectException || cause instanceof SocketException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null && isConnectionState(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConnectionState(String sqlState) {
        return sqlState.startsWith("08") || sqlState.startsWith("57P") || sqlState.equals("53300");
    }

    private synchronized void lost(String why) {
        if (outage == null) {
            outage = new Outage(System.nanoTime(), why);
            LOG.warn("The database cannot be reached ({}): requests that need it are answered 503 until it answers,"
                    + " checked every {} ms", why, PROBE_INTERVAL_MS);
        }
    }

    private synchronized void recovered() {
        Outage ended = outage;
        suspected = false;
        if (ended != null) {
            outage = null;
            LOG.info("The database answers again, after {} ms", (System.nanoTime() - ended.sinceNanos) / 1_000_000);
        }
    }
}
