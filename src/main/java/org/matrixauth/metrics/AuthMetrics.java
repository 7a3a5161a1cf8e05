package org.matrixauth.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;
import org.matrixauth.cache.AuthCaches;
import org.matrixauth.config.MauConfig;
import org.matrixauth.tracking.BatchingClientIpRecorder;
import org.matrixauth.tracking.MauRecorder;
import org.matrixauth.tracking.MonthlyActiveUsers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What operators scrape: authentication outcomes, the client-IP queue (TRK-5's drop count among
 * them), and monthly active users under the names Synapse exports them by
 * ({@code synapse_admin_mau_current}, {@code synapse_admin_mau_max},
 * {@code synapse_admin_mau_current_mau_by_service}), so existing dashboards keep working.
 *
 * <p>This registry is the one definition of the library's metrics (name, help, type, labels and
 * where each value comes from): {@code MatrixAuthMetricsServlet} serves it as it is, and
 * {@link MatrixAuthMeterBinder} publishes the same series into a Micrometer registry.
 */
public final class AuthMetrics {
    /** The outcome label of a request that was let through. */
    public static final String AUTHENTICATED = "authenticated";
    /** The outcome label of a request the authorization server made with the shared secret (OAU-10). */
    public static final String AUTHORIZATION_SERVER = "authorization_server";
    private static final Logger LOG = LoggerFactory.getLogger(AuthMetrics.class);

    private final PrometheusRegistry registry = new PrometheusRegistry();
    /**
     * Requests by outcome, counted on every request: a lookup in a concurrent map and a
     * {@link LongAdder} increment take no lock and allocate nothing once an outcome has been seen
     * (a prometheus {@code Counter}'s {@code labelValues(outcome)} makes the varargs array, a key
     * list and a capturing lambda on each call before its {@code computeIfAbsent}), and the adder's
     * cells keep concurrent requests off one contended field. {@code get} first: a hit never enters
     * {@code computeIfAbsent}. The map holds one entry per outcome: a handful of errcodes, never a
     * request's input.
     */
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final RecentRead<Map<String, Integer>> mauByService;

    public AuthMetrics(BatchingClientIpRecorder clientIps, MonthlyActiveUsers monthlyActiveUsers, MauRecorder mauRecorder,
                       MauConfig mau, Map<String, Cache<?, ?>> caches, AuthCaches authCaches) {
        mauByService = new RecentRead<>(monthlyActiveUsers::countByService);
        CounterWithCallback.builder()
                .name("matrix_auth_requests")
                .help("Requests the filter authenticated, by outcome: 'authenticated' or the Matrix errcode")
                .labelNames("outcome")
                .callback(callback -> requests.forEach((outcome, count) -> callback.call(count.sum(), outcome)))
                .register(registry);
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
        registerCaches(caches, authCaches);
        if (mau.tracking()) {
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
    }

    /** CACHE-1: hits, misses, evictions and size per cache, and whether changes are being notified. */
    private void registerCaches(Map<String, Cache<?, ?>> caches, AuthCaches authCaches) {
        cacheCounter("matrix_auth_cache_hits", "Cache lookups answered from memory", caches, CacheStats::hitCount);
        cacheCounter("matrix_auth_cache_misses", "Cache lookups that went to the database", caches, CacheStats::missCount);
        cacheCounter("matrix_auth_cache_evictions", "Entries evicted for size or age", caches, CacheStats::evictionCount);
        GaugeWithCallback.builder()
                .name("matrix_auth_cache_size")
                .help("Entries held per cache")
                .labelNames("cache")
                .callback(callback -> caches.forEach((name, cache) -> callback.call(cache.estimatedSize(), name)))
                .register(registry);
        GaugeWithCallback.builder()
                .name("matrix_auth_cache_change_notifications")
                .help("1 while PostgreSQL change notifications are being received (long cache lifetime), else 0")
                .callback(callback -> callback.call(authCaches.notified() ? 1 : 0))
                .register(registry);
    }

    private void cacheCounter(String name, String help, Map<String, Cache<?, ?>> caches, ToLongFunction<CacheStats> stat) {
        CounterWithCallback.builder()
                .name(name)
                .help(help)
                .labelNames("cache")
                .callback(callback -> caches.forEach((cache, c) -> callback.call(stat.applyAsLong(c.stats()), cache)))
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

    /** @param outcome {@link #AUTHENTICATED} or the errcode answered */
    public void countRequest(String outcome) {
        LongAdder count = requests.get(outcome);
        if (count == null) {
            count = requests.computeIfAbsent(outcome, first -> new LongAdder());
        }
        count.increment();
    }

    public PrometheusRegistry registry() {
        return registry;
    }
}
