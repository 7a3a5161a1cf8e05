package org.matrixauth.oauth;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * How introspection goes, for operators: latency by outcome ({@code active}, {@code inactive}, or
 * the failure's kind) and failures by kind. No label holds a token.
 */
final class IntrospectionMetrics {
    private final Histogram latency = Histogram.builder()
            .name("matrix_auth_introspection_seconds")
            .help("Time taken by token introspection at the authorization server, by outcome")
            .labelNames("outcome")
            .build();
    private final Counter failures = Counter.builder()
            .name("matrix_auth_introspection_errors")
            .help("Introspections that failed (answered 503), by kind")
            .labelNames("kind")
            .build();

    void answered(boolean active, long nanos) {
        latency.labelValues(active ? "active" : "inactive").observe(nanos / 1e9);
    }

    void failed(IntrospectionFailure.Kind kind, long nanos) {
        failures.labelValues(kind.label()).inc();
        if (kind.sent()) {
            latency.labelValues(kind.label()).observe(nanos / 1e9);
        }
    }

    void registerIn(PrometheusRegistry registry) {
        registry.register(latency);
        registry.register(failures);
    }
}
