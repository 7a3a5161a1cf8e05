package org.matrixauth.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A database of a test's own: an H2 in-memory one, or a PostgreSQL one with a unique name that
 * is dropped again on close. PostgreSQL is reached through {@code MATRIX_AUTH_TEST_PG_URL}
 * (default: the machine's server, {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres});
 * without one, PostgreSQL tests are skipped with a message, except under {@code CI=true}, where
 * they fail.
 */
public final class TestDatabase implements AutoCloseable {
    static final String PG_ADMIN_URL = System.getenv().getOrDefault("MATRIX_AUTH_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
    private static final Pattern PG_URL = Pattern.compile("(jdbc:postgresql://[^/]+/)([^?]*)(.*)");
    /** Schema of a database Synapse 1.50 created, copied from the project's shared fixtures. */
    public static final String SYNAPSE_1_50_SCHEMA = "/fixtures/synapse-1.50-schema.sql";

    private final String jdbcUrl;
    private final String postgresName;

    private TestDatabase(String jdbcUrl, String postgresName) {
        this.jdbcUrl = jdbcUrl;
        this.postgresName = postgresName;
    }

    public static TestDatabase h2() {
        return new TestDatabase(H2Databases.uniqueUrl(), null);
    }

    /** A fresh, empty PostgreSQL database. */
    public static TestDatabase postgres() {
        String name = "matrix_auth_test_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection admin = DriverManager.getConnection(PG_ADMIN_URL); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            String message = "PostgreSQL is not reachable at " + PG_ADMIN_URL + " (" + e.getMessage() + ")";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message + ": under CI=true the PostgreSQL tests must run", e);
            }
            System.err.println("SKIPPED PostgreSQL test: " + message);
            Assumptions.abort(message);
        }
        Matcher url = PG_URL.matcher(PG_ADMIN_URL);
        if (!url.matches()) {
            throw new AssertionError("MATRIX_AUTH_TEST_PG_URL is not jdbc:postgresql://host:port/db?...: " + PG_ADMIN_URL);
        }
        return new TestDatabase(url.group(1) + name + url.group(3), name);
    }

    /** A PostgreSQL database holding the schema Synapse 1.50 created (and no rows but its versions). */
    public static TestDatabase synapse150() {
        TestDatabase database = postgres();
        database.execute(schemaStatements());
        return database;
    }

    private static String[] schemaStatements() {
        try (InputStream in = TestDatabase.class.getResourceAsStream(SYNAPSE_1_50_SCHEMA)) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
            return sql.split(";\\s*\\n");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs statements on one connection of its own. */
    public void execute(String... statements) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                if (!sql.isBlank()) {
                    statement.execute(sql);
                }
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public boolean isPostgres() {
        return postgresName != null;
    }

    /** The PostgreSQL database's name, as pg_stat_activity.datname and ALTER DATABASE know it. */
    public String postgresName() {
        return postgresName;
    }

    /** As when the server is down: its connections are ended and new ones refused (or allowed again). */
    public void refuseConnections(boolean refuse) {
        try (Connection admin = DriverManager.getConnection(PG_ADMIN_URL); Statement statement = admin.createStatement()) {
            statement.execute("ALTER DATABASE " + postgresName + " ALLOW_CONNECTIONS " + !refuse);
            if (refuse) {
                statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + postgresName + "'");
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** Connections to this PostgreSQL database, counted from outside it (the counting one is not among them). */
    public int openConnections() {
        try (Connection admin = DriverManager.getConnection(PG_ADMIN_URL); Statement statement = admin.createStatement();
                ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '"
                        + postgresName + "'")) {
            count.next();
            return count.getInt(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The open connections once closed ones are gone: a server process ends a moment after its
     * client closed the connection, so this waits up to 5 s for the count to reach 0.
     */
    public int openConnectionsOnceClosed() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        int connections = openConnections();
        while (connections > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            connections = openConnections();
        }
        return connections;
    }

    @Override
    public void close() {
        if (postgresName == null) {
            return; // H2 in-memory databases go with the JVM
        }
        try (Connection admin = DriverManager.getConnection(PG_ADMIN_URL); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + postgresName + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
