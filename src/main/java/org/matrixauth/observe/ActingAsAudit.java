package org.matrixauth.observe;

import com.github.benmanes.caffeine.cache.Cache;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.matrixauth.auth.Requester;
import org.matrixauth.cache.CacheBuilders;
import org.matrixauth.metrics.MetricsSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OBS-4: who acted as whom, on the logger {@value #LOGGER_NAME} and in
 * {@code matrix_auth_acting_as_requests} by kind. A bridge acts as thousands of users many times a
 * second, so a line per request would drown the log: each (kind, actor, user, device) pair is
 * logged on its first request, and then once per {@link #summarise()} (hourly) with the number of
 * requests since its last line. Every request is thus in one line of the period it was made in,
 * and "who acted as @alice today" is a search of today's lines for her id. The metric counts every
 * request. Never the token: a pair holds ids alone.
 *
 * <p>Memory is bounded: at most {@code maxPairs} pairs are followed at once. A pair dropped to make
 * room was logged on its first request already; what it had counted since is lost to the lines
 * (not to the metric), and the drops are counted ({@code matrix_auth_acting_as_pairs_dropped}) and
 * logged at the next summary. A pair with no request for a whole period is forgotten, so that its
 * next request is logged as a first again.
 */
public final class ActingAsAudit implements MetricsSource {
    public static final String LOGGER_NAME = "org.matrixauth.audit";
    /** Pairs followed at once: a few hundred bytes each, so about 3 MB when full. */
    public static final int MAX_PAIRS = 10_000;
    private static final Logger AUDIT = LoggerFactory.getLogger(LOGGER_NAME);

    private final Clock clock;
    private final int maxPairs;
    /** Filled once, then only read: one adder per kind. */
    private final Map<ActingAs.Kind, LongAdder> requestsByKind = new EnumMap<>(ActingAs.Kind.class);
    private final Cache<ActingAs, Unreported> pairs;
    private final LongAdder droppedPairs = new LongAdder();
    private final LongAdder droppedSinceSummary = new LongAdder();
    private volatile long lastSummaryMs;

    /** The requests of a pair not yet in a line, and when its last line was. */
    private static final class Unreported {
        final LongAdder requests = new LongAdder();
        volatile long sinceMs;

        Unreported(long sinceMs) {
            this.sinceMs = sinceMs;
        }
    }

    public ActingAsAudit(Clock clock, int maxPairs) {
        this.clock = clock;
        this.maxPairs = maxPairs;
        this.lastSummaryMs = clock.millis();
        for (ActingAs.Kind kind : ActingAs.Kind.values()) {
            requestsByKind.put(kind, new LongAdder());
        }
        this.pairs = CacheBuilders.sizeBoundOnly()
                .maximumSize(maxPairs)
                .<ActingAs, Unreported>evictionListener((pair, unreported, cause) -> {
                    droppedPairs.increment();
                    droppedSinceSummary.increment();
                })
                .build();
    }

    /** A request let through: nothing happens unless its requester acts as someone else. */
    public void record(Requester requester) {
        ActingAs acting = ActingAs.of(requester);
        if (acting == null) {
            return;
        }
        requestsByKind.get(acting.kind()).increment();
        Unreported seen = pairs.getIfPresent(acting);
        if (seen != null) {
            seen.requests.increment();
            return;
        }
        Unreported raced = pairs.asMap().putIfAbsent(acting, new Unreported(clock.millis()));
        if (raced != null) {
            raced.requests.increment();
        } else {
            AUDIT.info("{}: first request", acting.describe());
        }
    }

    /**
     * A line for each pair with requests since its last one, and for the pairs dropped meanwhile;
     * pairs without any are forgotten. A request of such a pair made while it is being forgotten
     * is counted on a pair no longer followed: only the metric has it.
     */
    public void summarise() {
        long now = clock.millis();
        pairs.asMap().forEach((pair, unreported) -> {
            long requests = unreported.requests.sumThenReset();
            if (requests == 0) {
                pairs.asMap().computeIfPresent(pair, (quiet, current) -> current.requests.sum() == 0 ? null : current);
                return;
            }
            AUDIT.info("{}: {} more request(s) since {}", pair.describe(), requests, Instant.ofEpochMilli(unreported.sinceMs));
            unreported.sinceMs = now;
        });
        long dropped = droppedSinceSummary.sumThenReset();
        if (dropped > 0) {
            AUDIT.warn("{} pair(s) acting as others were dropped since {} to keep at most {}: their later requests "
                    + "are in matrix_auth_acting_as_requests_total, not in these lines", dropped,
                    Instant.ofEpochMilli(lastSummaryMs), maxPairs);
        }
        lastSummaryMs = now;
    }

    @Override
    public void registerMetrics(PrometheusRegistry registry) {
        CounterWithCallback.builder()
                .name("matrix_auth_acting_as_requests")
                .help("Requests made as someone else (OBS-4), by kind: puppet_token, appservice_user, appservice_device")
                .labelNames("kind")
                .callback(callback -> requestsByKind.forEach((kind, count) -> callback.call(count.sum(), kind.label())))
                .register(registry);
        CounterWithCallback.builder()
                .name("matrix_auth_acting_as_pairs_dropped")
                .help("Pairs (kind, actor, user, device) the audit stopped following to stay within its bound")
                .callback(callback -> callback.call(droppedPairs.sum()))
                .register(registry);
    }
}
