package org.matrixauth.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.matrixauth.MatrixAuth;
import org.matrixauth.metrics.MatrixAuthMeterBinder;

/**
 * A test's two Micrometer registries, closed after each test: Micrometer's Prometheus registry,
 * whose scrape is compared with the servlet's, and a {@link SimpleMeterRegistry}, read meter by
 * meter as an application reads one. Register it as an instance field with {@code @RegisterExtension}.
 */
public final class MeterRegistries implements AfterEachCallback {
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SimpleMeterRegistry simple = new SimpleMeterRegistry();

    /** One binder for the filter's {@link MatrixAuth}, bound to both registries. */
    public void bind(MatrixAuth auth) {
        MatrixAuthMeterBinder binder = new MatrixAuthMeterBinder(auth.metricsRegistry());
        binder.bindTo(prometheus);
        binder.bindTo(simple);
    }

    public PrometheusMeterRegistry prometheus() {
        return prometheus;
    }

    public SimpleMeterRegistry simple() {
        return simple;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        prometheus.close();
        simple.close();
    }
}
