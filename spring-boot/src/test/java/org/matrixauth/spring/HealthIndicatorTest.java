package org.matrixauth.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.matrixauth.testing.RawHttp;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;

/** OBS-5 with Actuator on the classpath: the filter's health is a contributor of the application's. */
class HealthIndicatorTest extends WhoamiApplicationOnH2 {
    @Autowired
    MatrixAuthHealthIndicator indicator;

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
