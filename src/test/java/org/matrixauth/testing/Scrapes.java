package org.matrixauth.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.matrixauth.testing.PrometheusText.Family;

/**
 * The two exporters' scrapes of one filter, side by side: the Prometheus servlet's at
 * {@code /metrics} and a Micrometer Prometheus registry's that {@code MatrixAuthMeterBinder} is bound to.
 */
public final class Scrapes {
    /** The binder looks for new series at most once a second while its meters are read: they show within a few. */
    static final long DISCOVERY_WAIT_MS = 5_000;

    private Scrapes() {}

    public static Map<String, Family> servlet(FilterServer server) throws IOException {
        RawHttp.Response response = RawHttp.send("127.0.0.1", server.port(), "GET", "/metrics", List.of());
        assertEquals(200, response.status(), response.body());
        return PrometheusText.parse(response.body());
    }

    public static Map<String, Family> micrometer(PrometheusMeterRegistry registry) {
        return PrometheusText.parse(registry.scrape());
    }

    /**
     * The same families, each with the same help and label names, and the same type; a Prometheus
     * histogram is a Micrometer function timer, which its Prometheus registry renders as a summary
     * (count and sum: the buckets are the servlet's alone).
     */
    public static void assertSameFamilies(Map<String, Family> servlet, Map<String, Family> micrometer) {
        assertEquals(new TreeMap<>(servlet).keySet(), new TreeMap<>(micrometer).keySet(), "metric families");
        servlet.forEach((name, family) -> {
            Family bound = micrometer.get(name);
            assertEquals(family.labelNames(), bound.labelNames(), name + ": label names");
            assertEquals(family.help(), bound.help(), name + ": help");
            assertEquals(family.type().equals("histogram") ? "summary" : family.type(), bound.type(), name + ": type");
        });
    }

    /** Every sample of these families has the same value in both, and they have the same samples. */
    public static void assertSameSamples(Map<String, Family> servlet, Map<String, Family> micrometer, Predicate<String> sampleNames,
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

    /** Scrapes Micrometer's registry until it shows each of these samples ({@code name{label=value}}), up to {@link #DISCOVERY_WAIT_MS}. */
    public static void awaitSeries(PrometheusMeterRegistry registry, String... samples) throws InterruptedException {
        awaitMeters(registry, unused -> {
            String all = micrometer(registry).values().stream()
                    .map(family -> family.samples().keySet().toString())
                    .reduce("", String::concat);
            return List.of(samples).stream().allMatch(all::contains);
        });
    }

    /**
     * Reads every meter of the registry, as a publishing registry does each step (which is when the
     * binder looks for new series), until the condition holds, up to {@link #DISCOVERY_WAIT_MS}.
     */
    public static void awaitMeters(MeterRegistry registry, Predicate<MeterRegistry> condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + DISCOVERY_WAIT_MS;
        while (!condition.test(registry)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not in Micrometer's registry after " + DISCOVERY_WAIT_MS + " ms: " + registry.getMeters()
                        .stream().map(meter -> meter.getId().toString()).toList());
            }
            registry.getMeters().forEach(meter -> meter.measure().forEach(Measurement::getValue));
            Thread.sleep(100);
        }
    }
}
