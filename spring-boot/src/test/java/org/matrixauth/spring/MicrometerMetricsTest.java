package org.matrixauth.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.matrixauth.testing.RawHttp;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * With Actuator and Micrometer's Prometheus registry on the classpath (as an application that exports metrics has
 * them), the filter's metrics are in the application's own registry under the Prometheus servlet's names, counting
 * the requests the filter answered.
 */
class MicrometerMetricsTest extends WhoamiApplicationOnH2 {
    @Autowired
    PrometheusMeterRegistry registry;

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
