package org.matrixauth.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.matrixauth.MatrixAuth;
import org.matrixauth.spring.example.WhoamiApplication;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.SynapseRows;
import org.matrixauth.testing.TestDatabase;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The context's shutdown closes the filter's {@link MatrixAuth}: the client IPs it queued are written, the pool it
 * opened is closed; a pool the application gave it is the application's to close, and closes after it.
 */
class ShutdownTest {
    @Test
    void shutdownWritesTheQueuedClientIpsAndClosesThePoolTheFilterOpened() throws Exception {
        try (TestDatabase database = TestDatabase.postgres()) {
            ConfigurableApplicationContext context = start("matrix.auth.use-application-data-source=false",
                    "matrix.auth.config.database=" + database.jdbcUrl());
            Jdbi jdbi = Jdbi.create(database.jdbcUrl()); // a connection per use, none kept
            TestUsers.seed(new SynapseRows(jdbi));
            assertEquals(200, whoami(context).status());
            assertTrue(database.openConnections() > 0, "the filter's pool is open");
            context.close();
            assertEquals(0, database.openConnectionsOnceClosed(), "no connection of the filter's is left");
            assertEquals(1, clientIps(jdbi), "the request's client IP was written as the filter stopped");
        }
    }

    @Test
    void shutdownClosesTheFilterBeforeTheApplicationsPool() throws Exception {
        try (TestDatabase database = TestDatabase.postgres()) {
            ConfigurableApplicationContext context = start("spring.datasource.url=" + database.jdbcUrl(),
                    "matrix.auth.config.auth_cache.listen_url=" + database.jdbcUrl());
            Jdbi jdbi = Jdbi.create(database.jdbcUrl());
            TestUsers.seed(new SynapseRows(jdbi));
            assertEquals(200, whoami(context).status());
            context.close();
            assertEquals(1, clientIps(jdbi), "the final flush went through the application's pool, still open then");
            assertEquals(0, database.openConnectionsOnceClosed(), "the application's pool and the listener are closed");
        }
    }

    @Test
    void closingTheFilterLeavesTheApplicationsPoolOpen() throws IOException {
        try (TestDatabase database = TestDatabase.h2();
                ConfigurableApplicationContext context = start("spring.datasource.url=" + database.jdbcUrl())) {
            HikariDataSource pool = (HikariDataSource) context.getBean(DataSource.class);
            MatrixAuth auth = context.getBean(MatrixAuth.class);
            assertTrue(auth.dataSource() == pool, "the filter uses the application's pool");
            Jdbi jdbi = Jdbi.create(pool);
            TestUsers.seed(new SynapseRows(jdbi));
            assertEquals(200, whoami(context).status());
            auth.close(); // what the context's shutdown does first
            assertFalse(pool.isClosed());
            assertEquals(1, clientIps(jdbi), "written through the application's pool, which still answers");
        }
    }

    /** @param properties as command-line arguments, so that they override application.yaml */
    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(WhoamiApplication.class).properties("server.port=0")
                .run(Arrays.stream(properties).map(property -> "--" + property).toArray(String[]::new));
    }

    private static RawHttp.Response whoami(ConfigurableApplicationContext context) throws IOException {
        int port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
        return RawHttp.send("127.0.0.1", port, "GET", WhoamiMatrixTestCase.WHOAMI, List.of("Authorization: Bearer alice_token"));
    }

    private static int clientIps(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM user_ips WHERE user_id = :user")
                .bind("user", TestUsers.ALICE).mapTo(Integer.class).one());
    }
}
