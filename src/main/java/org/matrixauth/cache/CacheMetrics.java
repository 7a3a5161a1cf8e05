package org.matrixauth.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import org.matrixauth.metrics.MetricsSource;

/** CACHE-1: hits, misses, evictions and size per cache, and whether changes are being notified. */
public final class CacheMetrics implements MetricsSource {
    private final Map<String, Cache<?, ?>> caches;
    private final AuthCaches authCaches;

    /** @param caches every cache of the library, by the name its series carry */
    public CacheMetrics(Map<String, Cache<?, ?>> caches, AuthCaches authCaches) {
        this.caches = new TreeMap<>(caches); // series in name order, as scrapes list them
        this.authCaches = authCaches;
    }

    @Override
    public void registerMetrics(PrometheusRegistry registry) {
        counter(registry, "matrix_auth_cache_hits", "Cache lookups answered from memory", CacheStats::hitCount);
        counter(registry, "matrix_auth_cache_misses", "Cache lookups that went to the database", CacheStats::missCount);
        counter(registry, "matrix_auth_cache_evictions", "Entries evicted for size or age", CacheStats::evictionCount);
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

    private void counter(PrometheusRegistry registry, String name, String help, ToLongFunction<CacheStats> stat) {
        CounterWithCallback.builder()
                .name(name)
                .help(help)
                .labelNames("cache")
                .callback(callback -> caches.forEach((cache, c) -> callback.call(stat.applyAsLong(c.stats()), cache)))
                .register(registry);
    }
}
