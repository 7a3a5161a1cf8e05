package org.matrixauth.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.matrixauth.auth.Requester;
import org.matrixauth.testing.CapturedLog;

/** OBS-4's bound: past its pairs, the audit drops some, counts the drops and says so at the summary. */
class ActingAsAuditBoundTest {
    @Test
    @DisplayName("OBS-4: at most maxPairs pairs are followed; the dropped ones are counted and logged")
    void obs4BoundedPairs() throws Exception {
        ActingAsAudit audit = new ActingAsAudit(Clock.systemUTC(), 2);
        PrometheusRegistry registry = new PrometheusRegistry();
        audit.registerMetrics(registry);
        try (CapturedLog log = new CapturedLog()) {
            for (int i = 0; i < 50; i++) {
                audit.record(Requester.user("@user" + i + ":test").puppetedBy("@admin:test").build());
            }
            audit.summarise();
            String scrape = scrape(registry);
            assertTrue(scrape.contains("matrix_auth_acting_as_requests_total{kind=\"puppet_token\"} 50.0"), scrape);
            assertTrue(scrape.contains("matrix_auth_acting_as_pairs_dropped_total 48.0"), scrape);
            assertEquals(1, log.text().lines().filter(line -> line.contains(
                    "48 pair(s) acting as others were dropped since")).count(), log.text());
        }
    }

    private static String scrape(PrometheusRegistry registry) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }
}
