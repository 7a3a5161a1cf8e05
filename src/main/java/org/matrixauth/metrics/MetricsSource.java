package org.matrixauth.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * A part of the library that has something for operators to scrape. Each part defines its own
 * metrics (name, help, type, labels, where each value comes from) and registers them here, once,
 * when the library is assembled; the one registry they all go into is what the Prometheus servlet
 * serves and what {@link MatrixAuthMeterBinder} reads.
 */
public interface MetricsSource {
    void registerMetrics(PrometheusRegistry registry);
}
