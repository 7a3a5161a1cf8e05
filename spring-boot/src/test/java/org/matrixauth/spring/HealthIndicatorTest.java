package org.matrixauth.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.matrixauth.spring.example.WhoamiApplication;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.RawHttp;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** OBS-5 with Actuator on the classpath: the filter's health is a contributor of the application's. */
@SpringBootTest(classes = WhoamiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class HealthIndicatorTest {
    @RegisterExtension
    static final DatabaseExtension DB = DatabaseExtension.of(() -> DatabaseKind.H2);

    @TempDir
    static Path registrations;

    @LocalServerPort
    int port;

    @Autowired
    MatrixAuthHealthIndicator indicator;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry properties) {
        TestUsers.filtersOwnPool(properties, DB, () -> registrations);
    }

    @AfterAll
    static void closeConnectionsFirst(@Autowired ApplicationContext context) throws IOException {
        WhoamiMatrixTestCase.closeConnections(context);
    }

    @Test
    @DisplayName("OBS-5: the filter's health is up with its checks, and the application's /actuator/health is up with it")
    void obs5TheFiltersHealthIsAContributor() throws Exception {
        var health = indicator.health();
        assertEquals(Status.UP, health.getStatus());
        assertEquals(Map.of("database", "ok"), health.getDetails());
        TestUsers.seed(DB.rows());
        // The example application's rules authenticate every path but its public ones.
        RawHttp.Response actuator = RawHttp.send("127.0.0.1", port, "GET", "/actuator/health",
                List.of("Authorization: Bearer alice_token"));
        assertEquals(200, actuator.status(), actuator.body());
        assertTrue(actuator.body().contains("\"status\":\"UP\""), actuator.body());
    }
}
