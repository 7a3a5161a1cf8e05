package org.matrixauth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import java.util.Map;
import javax.naming.Context;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.matrixauth.MatrixAuth;
import org.matrixauth.auth.AuthOptions;
import org.matrixauth.auth.ClientRequest;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.config.ConfigException;
import org.matrixauth.store.jdbi.SynapseDatabase;
import org.matrixauth.testing.H2Databases;
import org.matrixauth.testing.MapInitialContextFactory;
import org.matrixauth.testing.SynapseRows;

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
            assertEquals("@alice:test", auth.authenticate(request, AuthOptions.STRICT).userId());
        }
        assertFalse(containerPool.isClosed(), "the container owns its pool");
    }

    @Test
    void anUnboundNameIsNamedByTheDatabaseKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> MatrixAuth.builder(AuthConfig.load(Map.of("server_name", "test", "database", "java:comp/env/jdbc/nothing"))).start());
        assertTrue(e.getMessage().startsWith("configuration key 'database': cannot use java:comp/env/jdbc/nothing: "),
                e.getMessage());
    }
}
