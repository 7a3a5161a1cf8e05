package org.matrixauth.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.matrixauth.testing.FilterServer;
import org.matrixauth.testing.PrometheusText;
import org.matrixauth.testing.PrometheusText.Family;
import org.matrixauth.testing.RawHttp;

/** The two exporters' scrapes of one filter, side by side: the Prometheus servlet's and Micrometer's. */
final class Scrapes {
    private Scrapes() {}

    static Map<String, Family> servlet(FilterServer server) throws IOException {
        RawHttp.Response response = RawHttp.send("127.0.0.1", server.port(), "GET", "/metrics", List.of());
        assertEquals(200, response.status(), response.body());
        return PrometheusText.parse(response.body());
    }

    static Map<String, Family> micrometer(PrometheusMeterRegistry registry) {
        return PrometheusText.parse(registry.scrape());
    }

    /**
     * The same families, each with the same help and label names, and the same type; a Prometheus
     * histogram is a Micrometer function timer, which its Prometheus registry renders as a summary
     * (count and sum: the buckets are the servlet's alone).
     */
    static void assertSameFamilies(Map<String, Family> servlet, Map<String, Family> micrometer) {
        assertEquals(new TreeMap<>(servlet).keySet(), new TreeMap<>(micrometer).keySet(), "metric families");
        servlet.forEach((name, family) -> {
            Family bound = micrometer.get(name);
            assertEquals(family.labelNames(), bound.labelNames(), name + ": label names");
            assertEquals(family.help(), bound.help(), name + ": help");
            assertEquals(family.type().equals("histogram") ? "summary" : family.type(), bound.type(), name + ": type");
        });
    }

    /** Every sample of these families has the same value in both, and they have the same samples. */
    static void assertSameSamples(Map<String, Family> servlet, Map<String, Family> micrometer, Predicate<String> sampleNames,
                                  String... families) {
        for (String name : families) {
            assertEquals(samples(servlet, name, sampleNames), samples(micrometer, name, sampleNames), name + ": samples");
        }
    }

    private static Map<String, Double> samples(Map<String, Family> scrape, String family, Predicate<String> sampleNames) {
        Family found = scrape.get(family);
        if (found == null) {
            fail("no family " + family + " in " + scrape.keySet());
        }
        Map<String, Double> samples = new TreeMap<>(found.samples());
        samples.keySet().removeIf(sample -> !sampleNames.test(sample));
        return samples;
    }
}
