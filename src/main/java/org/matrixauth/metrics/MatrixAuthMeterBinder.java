package org.matrixauth.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.matrixauth.api.PublicApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filter's metrics in an application's Micrometer {@link MeterRegistry}, under the names the
 * Prometheus servlet serves: {@code new MatrixAuthMeterBinder(auth.metricsRegistry()).bindTo(registry)}
 * with a started {@code MatrixAuth} (the Spring Boot module binds it for you).
 *
 * <p>Nothing is defined twice: the binder reads {@code MatrixAuth.metricsRegistry()}, where the
 * library defines each metric once, and makes one meter per series it finds there, named as in
 * Prometheus with dots ({@code matrix_auth_requests} is the counter {@code matrix.auth.requests},
 * which Micrometer's Prometheus registry renders as {@code matrix_auth_requests_total};
 * {@code synapse_admin_mau_current} stays {@code synapse_admin_mau_current}), with the metric's
 * help as description and its labels as tags. Counters become function counters, gauges gauges,
 * and the introspection latency histogram a function timer (its count and sum: Micrometer has no
 * meter that takes buckets counted elsewhere). Every read takes the value from the library at
 * that moment; series that appear later (a new outcome, an application service's first monthly
 * active user) are looked for at most once a second while the meters are read, and so are in the
 * next scrape at the latest.
 *
 * <p>micrometer-core is an optional dependency of the library: only this class uses it, and a
 * homeserver that never binds it needs no Micrometer on its classpath.
 */
@PublicApi
public final class MatrixAuthMeterBinder implements MeterBinder {
    /** How often reads look for new series: enough for scrapes, and a scrape of the library's own registry each time. */
    static final long DISCOVERY_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Logger LOG = LoggerFactory.getLogger(MatrixAuthMeterBinder.class);

    private final PrometheusRegistry source;

    /** @param source the library's registry, {@code MatrixAuth.metricsRegistry()} */
    public MatrixAuthMeterBinder(PrometheusRegistry source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        new Binding(source, Objects.requireNonNull(registry, "registry")).discover();
    }

    /** One series of the library's registry: its family's Prometheus name and its labels. */
    private record Series(String family, Labels labels) {}

    /**
     * The library's series bound to one meter registry. Micrometer holds a function counter's (and
     * timer's) object weakly: each meter is given the library's registry, which lives as long as
     * its {@code MatrixAuth}, and its functions hold this binding, so that a binder dropped after
     * {@code bindTo} keeps working.
     */
    private static final class Binding {
        private final PrometheusRegistry source;
        private final MeterRegistry meters;
        private final Set<Series> bound = ConcurrentHashMap.newKeySet();
        private final Set<String> unsupported = ConcurrentHashMap.newKeySet();
        private final AtomicLong discovered = new AtomicLong(System.nanoTime());

        Binding(PrometheusRegistry source, MeterRegistry meters) {
            this.source = source;
            this.meters = meters;
        }

        /** A meter for each series not bound yet. */
        void discover() {
            for (MetricSnapshot family : scrape(name -> true)) {
                for (DataPointSnapshot point : family.getDataPoints()) {
                    Series series = new Series(family.getMetadata().getPrometheusName(), point.getLabels());
                    if (bound.add(series)) {
                        register(family, series);
                    }
                }
            }
        }

        /** Called on every read; one reader at a time discovers, at most once an interval. */
        private void discoverIfDue() {
            long last = discovered.get();
            long now = System.nanoTime();
            if (now - last >= DISCOVERY_INTERVAL_NANOS && discovered.compareAndSet(last, now)) {
                discover();
            }
        }

        private void register(MetricSnapshot family, Series series) {
            String name = series.family().replace('_', '.');
            String help = family.getMetadata().getHelp();
            List<Tag> tags = tags(series.labels());
            if (family instanceof CounterSnapshot) {
                FunctionCounter.builder(name, source, unused -> read(series, CounterDataPointSnapshot.class,
                                CounterDataPointSnapshot::getValue))
                        .description(help).tags(tags).register(meters);
            } else if (family instanceof GaugeSnapshot) {
                Gauge.builder(name, source, unused -> read(series, GaugeDataPointSnapshot.class, GaugeDataPointSnapshot::getValue))
                        .description(help).tags(tags).strongReference(true).register(meters);
            } else if (family instanceof HistogramSnapshot) {
                FunctionTimer.builder(name, source,
                                unused -> (long) read(series, HistogramDataPointSnapshot.class, HistogramDataPointSnapshot::getCount),
                                unused -> read(series, HistogramDataPointSnapshot.class, HistogramDataPointSnapshot::getSum),
                                TimeUnit.SECONDS)
                        .description(help).tags(tags).register(meters);
            } else if (unsupported.add(series.family())) {
                LOG.warn("Metric {} ({}) has no Micrometer meter: not bound", series.family(), family.getClass().getSimpleName());
            }
        }

        private static List<Tag> tags(Labels labels) {
            List<Tag> tags = new ArrayList<>(labels.size());
            for (Label label : labels) {
                tags.add(Tag.of(label.getName(), label.getValue()));
            }
            return tags;
        }

        /** The series' value now, from its family alone; NaN while the library does not show it (e.g. MAU during an outage). */
        private <P extends DataPointSnapshot> double read(Series series, Class<P> type, ToDoubleFunction<P> value) {
            discoverIfDue();
            for (MetricSnapshot family : scrape(series.family()::equals)) {
                for (DataPointSnapshot point : family.getDataPoints()) {
                    if (point.getLabels().equals(series.labels())) {
                        return value.applyAsDouble(type.cast(point));
                    }
                }
            }
            return Double.NaN;
        }

        /** What the library shows; nothing, and a warning, if one of its callbacks failed: a scrape never throws. */
        private MetricSnapshots scrape(Predicate<String> names) {
            try {
                return source.scrape(names);
            } catch (RuntimeException e) {
                LOG.warn("Metrics left out of this read: {}", e.getClass().getName());
                return MetricSnapshots.of();
            }
        }
    }
}
