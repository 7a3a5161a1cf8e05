package org.matrixauth.store.jdbi;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.matrixauth.health.DatabaseAvailability;

/**
 * The stores' connections, watched for OBS-5: none is asked for while the database is known
 * unreachable (the request fails at once), a connection's or a statement's failure tells
 * {@link DatabaseAvailability}, and on PostgreSQL a request's read waits at most
 * {@link PostgresTimeouts#REQUEST_READ_MS} for the server, so a request that meets a silent
 * partition is answered within a second instead of after the driver's socket timeout.
 */
final class WatchedConnections implements ConnectionFactory, SqlLogger {
    private final DataSource dataSource;
    private final DatabaseAvailability availability;
    /** The network wait each connection gets, or 0 for the pool's own. */
    private final int readTimeoutMs;

    WatchedConnections(DataSource dataSource, DatabaseAvailability availability, int readTimeoutMs) {
        this.dataSource = dataSource;
        this.availability = availability;
        this.readTimeoutMs = readTimeoutMs;
    }

    @Override
    public Connection openConnection() throws SQLException {
        availability.requireReachable();
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            availability.failed(e);
            throw e;
        }
        if (readTimeoutMs > 0) {
            limitReads(connection, readTimeoutMs);
        }
        return connection;
    }

    /** The pool puts the connection's own timeout back when it is returned (HikariCP does). */
    static void limitReads(Connection connection, int timeoutMs) throws SQLException {
        try {
            connection.setNetworkTimeout(Runnable::run, timeoutMs);
        } catch (SQLFeatureNotSupportedException e) {
            // A caller's data source whose driver cannot: its own timeouts apply.
        }
    }

    @Override
    public void logException(StatementContext context, SQLException failure) {
        availability.failed(failure);
    }
}
