package org.matrixauth.oauth;

import java.time.Clock;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Introspection failures told to the operator without flooding the log: the first failure of
 * each kind while they last gets a line, then a summary at most once a minute, and a line when
 * answers come back. A line names the kind and its detail (an exception class, a status), never a
 * token or a body.
 */
final class IntrospectionFailureLog {
    static final long SUMMARY_INTERVAL_MS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(IntrospectionFailureLog.class);

    private final Clock clock;
    /** Failures of each kind since the last summary; a kind is present once logged in this spell. */
    private final Map<IntrospectionFailure.Kind, Long> sinceSummary = new EnumMap<>(IntrospectionFailure.Kind.class);
    private long failuresInSpell;
    private long summaryAt;
    /** Read without the lock on every answer, so that a healthy server costs no lock. */
    private volatile boolean failing;

    IntrospectionFailureLog(Clock clock) {
        this.clock = clock;
    }

    synchronized void failed(IntrospectionFailure failure) {
        long now = clock.millis();
        if (!failing) {
            failing = true;
            summaryAt = now;
        }
        failuresInSpell++;
        Long seen = sinceSummary.get(failure.kind());
        if (seen == null) {
            LOG.warn("Token introspection failing ({}); requests that need it are answered 503 while it lasts,"
                    + " summarised once a minute at most", failure.getMessage());
        }
        sinceSummary.put(failure.kind(), seen == null ? 1 : seen + 1);
        if (now - summaryAt >= SUMMARY_INTERVAL_MS) {
            LOG.warn("Token introspection still failing: {} in the last {} s by kind {}", sinceSummary.values().stream()
                    .mapToLong(Long::longValue).sum(), (now - summaryAt) / 1000, labels());
            summaryAt = now;
            sinceSummary.replaceAll((kind, count) -> 0L);
        }
    }

    void answered() {
        if (failing) {
            recovered();
        }
    }

    private synchronized void recovered() {
        if (failing) {
            LOG.info("Token introspection answering again after {} failure(s)", failuresInSpell);
            failing = false;
            failuresInSpell = 0;
            sinceSummary.clear();
        }
    }

    private Map<String, Long> labels() {
        Map<String, Long> labels = new LinkedHashMap<>();
        sinceSummary.forEach((kind, count) -> {
            if (count > 0) {
                labels.put(kind.label(), count);
            }
        });
        return labels;
    }
}
