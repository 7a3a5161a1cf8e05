package org.matrixauth.cache;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CACHE-5, CACHE-6: Synapse's own invalidation stream, {@code cache_invalidation_stream_by_instance},
 * followed from the listener's connection. Synapse writes one row per
 * {@code _invalidate_cache_and_stream} in the transaction that makes the change, so a row is
 * visible exactly when its change is; each row read is handed to {@link SynapseInvalidations}.
 *
 * <p>Ids come from one sequence, taken when a writer (Synapse's main process, or any of its
 * workers) inserts its row, and transactions commit in any order: a row with a lower id can become
 * visible after a higher one was read. So the position is the highest id read (at the start: the
 * highest the sequence handed out) plus the ids below it not seen yet ("gaps"), and every poll asks
 * for both in one query on the table's unique index on {@code stream_id}. A gap is either a transaction still open or an id taken by one that rolled
 * back, which never appears: a gap is looked for until {@link #GAP_WAIT_NANOS} after it was found,
 * far longer than a Synapse transaction holds its id. This needs nothing of Synapse's own
 * bookkeeping ({@code stream_positions}), which only the writers keep.
 *
 * <p>Synapse deletes rows older than a week. The newest row read is asked for again by every poll:
 * once it is gone, rows after it may have gone unread, and every cache is dropped. Both that and
 * too many gaps to track are answered the same safe way.
 */
final class InvalidationStream {
    /** How long an id below the position is looked for: a transaction open this long is not Synapse's. */
    static final long GAP_WAIT_NANOS = 60_000_000_000L;
    /** More ids missing than this at once is not commit order: treated as rows missed. */
    static final int MAX_GAPS = 10_000;
    /** Rows read per query; a fuller batch is followed by another query at once. */
    static final int BATCH = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(InvalidationStream.class);
    private static final String READ = """
            SELECT stream_id, cache_func, keys FROM cache_invalidation_stream_by_instance
            WHERE stream_id > ? OR stream_id = ANY(?) OR stream_id = ? ORDER BY stream_id LIMIT ?""";

    private final SynapseInvalidations invalidations;
    private final AuthCaches caches;
    /** Every id up to this one has been read, or is a gap. */
    private long position;
    /** The newest row read, read again by every poll as proof that nothing after it was pruned; -1: none yet. */
    private long lastRow = -1;
    /** Ids below the position not seen yet, with the System.nanoTime() at which each was found missing. */
    private final Map<Long, Long> gaps = new HashMap<>();

    InvalidationStream(SynapseInvalidations invalidations, AuthCaches caches) {
        this.invalidations = invalidations;
        this.caches = caches;
    }

    /**
     * Where a (re)connected listener starts: after the newest row, what came before is in no cache
     * (they are dropped once listening). Ids the sequence handed out beyond that row belong to
     * transactions still open (or rolled back): gaps from the start.
     */
    void startAt(Connection connection) throws SQLException {
        gaps.clear();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT (SELECT MAX(stream_id) FROM cache_invalidation_stream_by_instance),"
                        + " (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM cache_invalidation_stream_seq)")) {
            rs.next();
            long newest = rs.getLong(1);
            lastRow = rs.wasNull() ? -1 : newest;
            long handedOut = rs.getLong(2);
            position = Math.max(lastRow, handedOut);
            if (lastRow >= 0 && position - lastRow <= MAX_GAPS) {
                long now = System.nanoTime();
                for (long gap = lastRow + 1; gap <= position; gap++) {
                    gaps.put(gap, now);
                }
            }
        }
    }

    /** Reads and applies what is new since the last poll, in as many batches as it takes. */
    void poll(Connection connection) throws SQLException {
        List<Row> rows;
        do {
            rows = read(connection);
            if (!apply(rows)) {
                positionPruned(connection);
                return;
            }
        } while (rows.size() == BATCH);
        long now = System.nanoTime();
        gaps.values().removeIf(foundAt -> now - foundAt > GAP_WAIT_NANOS);
    }

    private List<Row> read(Connection connection) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement read = connection.prepareStatement(READ)) {
            read.setLong(1, position);
            Array missing = connection.createArrayOf("bigint", gaps.keySet().toArray());
            read.setArray(2, missing);
            read.setLong(3, lastRow);
            read.setInt(4, BATCH);
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    Array keys = rs.getArray(3);
                    rows.add(new Row(rs.getLong(1), rs.getString(2), keys == null ? null : (String[]) keys.getArray()));
                }
            }
            missing.free();
        }
        return rows;
    }

    /**
     * Applies each row not applied before, in id order; a row beyond the position moves it and
     * notes the ids it jumped over as gaps.
     *
     * @return false when the newest row read before has gone (pruned): rows after it may have gone unread
     */
    private boolean apply(List<Row> rows) {
        long proof = lastRow;
        boolean proofSeen = proof < 0;
        for (Row row : rows) {
            long id = row.streamId();
            if (id == proof) {
                proofSeen = true;
                continue;
            }
            if (id > position) {
                noteGaps(id);
                position = id;
            } else if (gaps.remove(id) == null) {
                continue;
            }
            lastRow = Math.max(lastRow, id);
            invalidations.apply(row.cacheFunc(), row.keys());
        }
        boolean batchReachedProof = rows.size() < BATCH || rows.get(rows.size() - 1).streamId() >= proof;
        return proofSeen || !batchReachedProof;
    }

    /** The ids between the position and this one are gaps. */
    private void noteGaps(long id) {
        long missing = id - position - 1;
        if (missing <= 0) {
            return;
        }
        if (gaps.size() + missing > MAX_GAPS) {
            LOG.warn("Synapse's invalidation stream skipped {} ids at once: cached entries dropped", missing);
            gaps.clear();
            caches.invalidateAll();
            return;
        }
        long now = System.nanoTime();
        for (long gap = position + 1; gap < id; gap++) {
            gaps.put(gap, now);
        }
    }

    /** Dropping everything covers whatever was missed; following goes on from the newest row. */
    private void positionPruned(Connection connection) throws SQLException {
        LOG.warn("Synapse's invalidation stream no longer holds row {}, the last this node read (Synapse prunes rows"
                + " after a week): changes may have been missed, cached entries dropped", lastRow);
        caches.invalidateAll();
        startAt(connection);
    }

    private record Row(long streamId, String cacheFunc, String[] keys) {}
}
