package org.matrixauth.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.matrixauth.spring.example.WhoamiApplication;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.RawHttp;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With Actuator and Micrometer's Prometheus registry on the classpath (as an application that exports metrics has
 * them), the filter's metrics are in the application's own registry under the Prometheus servlet's names, counting
 * the requests the filter answered.
 */
@SpringBootTest(classes = WhoamiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class MicrometerMetricsTest {
    @RegisterExtension
    static final DatabaseExtension DB = DatabaseExtension.of(() -> DatabaseKind.H2);

    @TempDir
    static Path registrations;

    @LocalServerPort
    int port;

    @Autowired
    PrometheusMeterRegistry registry;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry properties) {
        TestUsers.filtersOwnPool(properties, DB, () -> registrations);
    }

    @AfterAll
    static void closeConnectionsFirst(@Autowired ApplicationContext context) throws IOException {
        WhoamiMatrixTestCase.closeConnections(context);
    }

    @Test
    void theFiltersRequestsAndCachesAreInTheApplicationsRegistryUnderTheServletsNames() throws Exception {
        TestUsers.seed(DB.rows());
        assertEquals(200, whoami("alice_token").status());
        assertEquals(200, whoami("alice_token").status());
        assertEquals(401, whoami("no_such_token").status());

        // Outcomes first seen after binding appear once the binder next looks (at most a second later).
        String scrape = registry.scrape();
        for (long deadline = System.currentTimeMillis() + 5_000;
             !scrape.contains("outcome=\"M_UNKNOWN_TOKEN\"") && System.currentTimeMillis() < deadline;
             scrape = registry.scrape()) {
            Thread.sleep(100);
        }
        assertTrue(scrape.contains("matrix_auth_requests_total{outcome=\"authenticated\"} 2.0"), scrape);
        assertTrue(scrape.contains("matrix_auth_requests_total{outcome=\"M_UNKNOWN_TOKEN\"} 1.0"), scrape);
        assertTrue(scrape.contains("matrix_auth_cache_hits_total{cache=\"tokens\"}"), scrape);
        assertTrue(scrape.contains("matrix_auth_client_ip_pending_rows"), scrape);
    }

    private RawHttp.Response whoami(String token) throws IOException {
        return RawHttp.send("127.0.0.1", port, "GET", WhoamiMatrixTestCase.WHOAMI, List.of("Authorization: Bearer " + token));
    }
}
