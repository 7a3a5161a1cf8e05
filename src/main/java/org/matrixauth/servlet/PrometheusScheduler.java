package org.matrixauth.servlet;

import java.lang.reflect.Field;
import java.util.concurrent.ExecutorService;
import org.matrixauth.error.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * prometheus-metrics-core keeps a static executor ({@code io.prometheus.metrics.core.util.Scheduler},
 * the exemplar samplers' timer) with no way to stop it: its thread keeps an undeployed web
 * application's class loader, and so all its classes, alive. Stopped only when the Prometheus
 * classes are the web application's own (its WEB-INF/lib), so they die with it; a Prometheus
 * shared by several applications (a container's lib, an embedded server) is left running.
 */
final class PrometheusScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(PrometheusScheduler.class);
    private static final String SCHEDULER = "io.prometheus.metrics.core.util.Scheduler";

    private PrometheusScheduler() {}

    static void stopIfOwnedBy(ClassLoader webApplication) {
        try {
            Class<?> scheduler = Class.forName(SCHEDULER, false, PrometheusScheduler.class.getClassLoader());
            if (scheduler.getClassLoader() != webApplication) {
                return;
            }
            Field executor = scheduler.getDeclaredField("executor");
            executor.setAccessible(true);
            ((ExecutorService) executor.get(null)).shutdownNow();
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Could not stop Prometheus' scheduler thread; an undeployed war may stay in memory: {}", Failures.describe(e));
        }
    }
}
