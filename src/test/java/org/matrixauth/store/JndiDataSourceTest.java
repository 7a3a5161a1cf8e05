package org.matrixauth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import javax.naming.Context;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.matrixauth.MatrixAuth;
import org.matrixauth.MatrixAuthInternals;
import org.matrixauth.auth.AuthOptions;
import org.matrixauth.auth.ClientRequest;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.config.ConfigException;
import org.matrixauth.error.MatrixException;
import org.matrixauth.store.jdbi.SynapseDatabase;
import org.matrixauth.testing.H2Databases;
import org.matrixauth.testing.MapInitialContextFactory;
import org.matrixauth.testing.SynapseRows;
import org.matrixauth.testing.TestDatabase;

/** {@code database: java:comp/env/...}: the container's own pool, looked up by JNDI, used and never closed. */
class JndiDataSourceTest {
    static final String NAME = "java:comp/env/jdbc/synapse";

    private HikariDataSource containerPool;

    @BeforeEach
    void bind() {
        System.setProperty(Context.INITIAL_CONTEXT_FACTORY, MapInitialContextFactory.class.getName());
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(H2Databases.uniqueUrl());
        containerPool = new HikariDataSource(config);
        MapInitialContextFactory.BOUND.put(NAME, containerPool);
    }

    @AfterEach
    void unbind() {
        MapInitialContextFactory.BOUND.clear();
        System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
        containerPool.close();
    }

    @Test
    void authenticatesThroughTheContainersDataSourceAndLeavesItOpen() throws Exception {
        try (MatrixAuth auth = MatrixAuth.builder(AuthConfig.load(Map.of("server_name", "test", "database", NAME))).start()) {
            new SynapseRows(SynapseDatabase.open(containerPool, false, null).jdbi()).user("@alice:test").token("@alice:test", "tok", "DEV");
            ClientRequest request = new ClientRequest(List.of("Bearer tok"), Map.of(), "127.0.0.1", null);
            assertEquals("@alice:test", auth.authentication().authenticate(request, AuthOptions.STRICT).userId());
        }
        assertFalse(containerPool.isClosed(), "the container owns its pool");
    }

    @Test
    @DisplayName("CACHE-3: beside the container's pool, auth_cache.listen_url gives the listener a connection of its own")
    void cache3ListenUrlGivesTheListenerAConnectionOutsideTheContainersPool() throws Exception {
        try (TestDatabase postgres = TestDatabase.postgres()) {
            try (SynapseDatabase database = SynapseDatabase.open(postgres.jdbcUrl(), 1)) {
                SynapseRows rows = new SynapseRows(database.jdbi()).user("@alice:test");
                rows.token("@alice:test", "tok", "DEV");
                rows.allTokensUsed();
            }
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(postgres.jdbcUrl());
            try (HikariDataSource postgresPool = new HikariDataSource(config)) {
                MapInitialContextFactory.BOUND.put(NAME, postgresPool);
                try (MatrixAuth auth = MatrixAuth.builder(AuthConfig.load(Map.of("server_name", "test", "database", NAME,
                        "auth_cache.listen_url", postgres.jdbcUrl()))).start()) {
                    long deadline = System.currentTimeMillis() + 10_000;
                    while (!MatrixAuthInternals.caches(auth).notified()) {
                        assertTrue(System.currentTimeMillis() < deadline, "the listener connected");
                        Thread.sleep(10);
                    }
                    assertEquals(0, postgresPool.getHikariPoolMXBean().getActiveConnections(), "none taken from the pool");
                    assertEquals(1, count(postgres, "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                            + " AND application_name = '" + SynapseDatabase.DEDICATED_CONNECTION_NAME + "'"));
                    ClientRequest request = new ClientRequest(List.of("Bearer tok"), Map.of(), "127.0.0.1", null);
                    assertEquals("@alice:test", auth.authentication().authenticate(request, AuthOptions.STRICT).userId());
                    postgres.execute("DELETE FROM access_tokens WHERE token = 'tok'");
                    long deletedAt = System.currentTimeMillis();
                    while (refusal(auth, request) == null) {
                        assertTrue(System.currentTimeMillis() - deletedAt < 1_000, "the deletion was notified");
                        Thread.sleep(10);
                    }
                }
            }
        }
    }

    private static String refusal(MatrixAuth auth, ClientRequest request) {
        try {
            auth.authentication().authenticate(request, AuthOptions.STRICT);
            return null;
        } catch (MatrixException e) {
            return e.errcode();
        }
    }

    private static int count(TestDatabase database, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl()); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getInt(1);
        }
    }

    @Test
    void anUnboundNameIsNamedByTheDatabaseKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> MatrixAuth.builder(AuthConfig.load(Map.of("server_name", "test", "database", "java:comp/env/jdbc/nothing"))).start());
        assertTrue(e.getMessage().startsWith("configuration key 'database': cannot use java:comp/env/jdbc/nothing: "),
                e.getMessage());
    }
}
