package org.matrixauth.tracking;

import com.github.benmanes.caffeine.cache.Cache;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.matrixauth.cache.CacheBuilders;
import org.matrixauth.store.ClientIpRow;
import org.matrixauth.store.ClientIpStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client IPs recorded in batches, as Synapse does (SPEC TRK-3..5): requests only touch memory;
 * {@link #flush()} (every 5 s, and at shutdown) writes what is pending in one transaction. A
 * failed flush keeps its rows for the next one; memory is bounded by {@code client_ip_queue_limit},
 * and rows refused beyond it are counted, never silently lost.
 */
public final class BatchingClientIpRecorder implements ClientIpRecorder, AutoCloseable {
    /** TRK-3: a key seen this recently is not queued again. */
    static final long LAST_SEEN_GRANULARITY_MS = 120_000;
    /** TRK-3: Synapse's size for its LRU of recently seen keys. */
    static final int RECENTLY_SEEN_KEYS = 50_000;
    private static final Logger LOG = LoggerFactory.getLogger(BatchingClientIpRecorder.class);

    private final ClientIpStore store;
    private final int queueLimit;
    private final Cache<Key, Long> recentlySeen = CacheBuilders.sizeBoundOnly().maximumSize(RECENTLY_SEEN_KEYS).build();
    private final Map<Key, Seen> pending = new ConcurrentHashMap<>();
    private final AtomicLong droppedRows = new AtomicLong();
    private final AtomicLong refusedRows = new AtomicLong();
    private final AtomicLong failedFlushes = new AtomicLong();
    private final AtomicLong writtenRows = new AtomicLong();
    private final AtomicLong flushes = new AtomicLong();

    public BatchingClientIpRecorder(ClientIpStore store, int queueLimit) {
        this.store = store;
        this.queueLimit = queueLimit;
    }

    @Override
    public void record(String userId, String accessToken, String ip, String userAgent, String deviceId, long seenAtMs) {
        Key key = new Key(userId, accessToken, ip);
        Long last = recentlySeen.getIfPresent(key);
        if (last != null && seenAtMs - last < LAST_SEEN_GRANULARITY_MS) {
            return;
        }
        if (queue(key, new Seen(userAgent, deviceId, seenAtMs))) {
            recentlySeen.put(key, seenAtMs);
        }
    }

    /** @return false when the row was refused for want of room (TRK-5), and counted as dropped */
    private boolean queue(Key key, Seen seen) {
        if (pending.size() >= queueLimit && !pending.containsKey(key)) {
            droppedRows.incrementAndGet();
            return false;
        }
        pending.put(key, seen);
        return true;
    }

    /**
     * TRK-4: write every pending row in one transaction; when the database cannot take them, keep
     * them for the next flush (TRK-5). When it refuses a row for its content, which no retry can
     * cure, the rows are written one by one and only the refused ones are dropped (and counted):
     * one bad row must not hold back every row queued after it.
     */
    public synchronized void flush() {
        Map<Key, Seen> batch = new HashMap<>(pending);
        if (batch.isEmpty()) {
            return;
        }
        batch.forEach(pending::remove); // removes only rows not updated meanwhile
        try {
            store.write(batch.entrySet().stream().map(BatchingClientIpRecorder::row).toList());
            writtenRows.addAndGet(batch.size());
            flushes.incrementAndGet();
        } catch (RuntimeException e) {
            if (WriteFailure.refusesContent(e)) {
                flushOneByOne(new ArrayList<>(batch.entrySet()));
            } else {
                keep(batch.entrySet(), e);
            }
        }
    }

    private void flushOneByOne(List<Map.Entry<Key, Seen>> rows) {
        for (int i = 0; i < rows.size(); i++) {
            try {
                store.write(List.of(row(rows.get(i))));
                writtenRows.incrementAndGet();
            } catch (RuntimeException e) {
                if (!WriteFailure.refusesContent(e)) {
                    keep(rows.subList(i, rows.size()), e);
                    return;
                }
                refusedRows.incrementAndGet();
                LOG.warn("A client IP row for {} was refused by the database for its content ({}) and is dropped",
                        rows.get(i).getKey().userId, e.getClass().getName());
            }
        }
        flushes.incrementAndGet();
    }

    private void keep(Collection<Map.Entry<Key, Seen>> rows, RuntimeException failure) {
        failedFlushes.incrementAndGet();
        rows.forEach(entry -> requeue(entry.getKey(), entry.getValue()));
        LOG.warn("Writing {} client IP row(s) failed ({}); kept for the next flush, {} pending",
                rows.size(), failure.getClass().getName(), pending.size());
    }

    private static ClientIpRow row(Map.Entry<Key, Seen> entry) {
        Key key = entry.getKey();
        Seen seen = entry.getValue();
        return new ClientIpRow(key.userId, key.accessToken, key.ip, seen.userAgent, seen.deviceId, seen.time);
    }

    /** A row that arrived during the failed flush is newer and wins over the one put back. */
    private void requeue(Key key, Seen seen) {
        if (!pending.containsKey(key)) {
            queue(key, seen);
        }
    }

    /** Rows waiting to be written. */
    public int pendingRows() {
        return pending.size();
    }

    /** TRK-5: rows refused because the queue was full. */
    public long droppedRows() {
        return droppedRows.get();
    }

    /** Rows the database refused for their content: dropped, since no retry could write them. */
    public long refusedRows() {
        return refusedRows.get();
    }

    public long failedFlushes() {
        return failedFlushes.get();
    }

    public long writtenRows() {
        return writtenRows.get();
    }

    /** Flushes that wrote at least one row. */
    public long flushes() {
        return flushes.get();
    }

    /** TRK-3: what is pending is written before the filter goes away. */
    @Override
    public void close() {
        flush();
        if (!pending.isEmpty()) {
            LOG.error("{} client IP row(s) could not be written at shutdown", pending.size());
        }
    }

    /**
     * Looked up on every recorded request: equals and hashCode are written out because a
     * record's generated ones go through method handles, which the JIT may leave uninlined on
     * this path.
     */
    private record Key(String userId, String accessToken, String ip) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && accessToken.equals(key.accessToken) && userId.equals(key.userId)
                    && Objects.equals(ip, key.ip);
        }

        @Override
        public int hashCode() {
            return (accessToken.hashCode() * 31 + userId.hashCode()) * 31 + Objects.hashCode(ip);
        }

        @Override
        public String toString() {
            return "Key[" + userId + ", " + ip + "]"; // never the token
        }
    }

    private record Seen(String userAgent, String deviceId, long time) {}
}
