package org.matrixauth.tracking;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import org.matrixauth.config.MauConfig;
import org.matrixauth.metrics.MetricsSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What operators scrape of recording: the client-IP queue (TRK-5's drop count among them), and
 * monthly active users under the names Synapse exports them by ({@code synapse_admin_mau_current},
 * {@code synapse_admin_mau_max}, {@code synapse_admin_mau_current_mau_by_service}), so existing
 * dashboards keep working.
 */
public final class TrackingMetrics implements MetricsSource {
    private static final Logger LOG = LoggerFactory.getLogger(TrackingMetrics.class);

    private final BatchingClientIpRecorder clientIps;
    private final MonthlyActiveUsers monthlyActiveUsers;
    private final MauRecorder mauRecorder;
    private final MauConfig mau;
    private final RecentRead<Map<String, Integer>> mauByService;

    public TrackingMetrics(BatchingClientIpRecorder clientIps, MonthlyActiveUsers monthlyActiveUsers,
                           MauRecorder mauRecorder, MauConfig mau) {
        this.clientIps = clientIps;
        this.monthlyActiveUsers = monthlyActiveUsers;
        this.mauRecorder = mauRecorder;
        this.mau = mau;
        this.mauByService = new RecentRead<>(monthlyActiveUsers::countByService);
    }

    @Override
    public void registerMetrics(PrometheusRegistry registry) {
        GaugeWithCallback.builder()
                .name("matrix_auth_client_ip_pending_rows")
                .help("Client IP rows waiting in memory to be written to user_ips")
                .callback(callback -> callback.call(clientIps.pendingRows()))
                .register(registry);
        CounterWithCallback.builder()
                .name("matrix_auth_client_ip_dropped_rows")
                .help("Client IP rows refused because the queue was full (client_ip_queue_limit)")
                .callback(callback -> callback.call(clientIps.droppedRows()))
                .register(registry);
        CounterWithCallback.builder()
                .name("matrix_auth_client_ip_refused_rows")
                .help("Client IP rows the database refused for their content (dropped: no retry could write them)")
                .callback(callback -> callback.call(clientIps.refusedRows()))
                .register(registry);
        CounterWithCallback.builder()
                .name("matrix_auth_client_ip_failed_flushes")
                .help("Flushes of the client IP queue that the database refused (their rows were kept)")
                .callback(callback -> callback.call(clientIps.failedFlushes()))
                .register(registry);
        CounterWithCallback.builder()
                .name("matrix_auth_client_ip_flushes")
                .help("Flushes that wrote client IP rows (each one transaction)")
                .callback(callback -> callback.call(clientIps.flushes()))
                .register(registry);
        CounterWithCallback.builder()
                .name("matrix_auth_client_ip_written_rows")
                .help("Client IP rows written to user_ips")
                .callback(callback -> callback.call(clientIps.writtenRows()))
                .register(registry);
        if (mau.tracking()) {
            registerMau(registry);
        }
    }

    private void registerMau(PrometheusRegistry registry) {
        CounterWithCallback.builder()
                .name("matrix_auth_mau_failed_updates")
                .help("Attempts to count a monthly active user that the database refused (the user is counted later)")
                .callback(callback -> callback.call(mauRecorder.failures()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("matrix_auth_mau_queued_users")
                .help("Users waiting to be counted as monthly active once the database answers")
                .callback(callback -> callback.call(mauRecorder.queued()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("synapse_admin_mau_max")
                .help("MAU limit (max_mau_value)")
                .callback(callback -> callback.call(mau.maxMauValue()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("synapse_admin_mau_current")
                .help("Current MAU, appservice users excluded")
                .callback(callback -> readDatabase(() -> callback.call(monthlyActiveUsers.count())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("synapse_admin_mau_current_mau_by_service")
                .help("Current MAU by appservice id ('native' for the rest)")
                .labelNames("app_service")
                .callback(callback -> readDatabase(() -> {
                    for (Map.Entry<String, Integer> entry : mauByService.get().entrySet()) {
                        callback.call(entry.getValue(), entry.getKey());
                    }
                }))
                .register(registry);
    }

    /** A scrape while the database is away leaves these gauges out rather than failing the whole scrape. */
    private static void readDatabase(Runnable read) {
        try {
            read.run();
        } catch (RuntimeException e) {
            LOG.warn("MAU metrics left out of this scrape: {}", e.getClass().getName());
        }
    }
}
