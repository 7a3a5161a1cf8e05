package org.matrixauth.tracking;

import java.time.Clock;
import org.matrixauth.store.ClientIpStore;

/** TRK-7: {@code user_ips} rows older than {@code user_ips_max_age} go, in small batches. */
public final class ClientIpPruner {
    static final int BATCH = 1_000;
    /** Bounds one run, so a huge backlog is worked off over several runs rather than at once. */
    static final int MAX_BATCHES_PER_RUN = 100;

    private final ClientIpStore store;
    private final long maxAgeMs;
    private final Clock clock;

    public ClientIpPruner(ClientIpStore store, long maxAgeMs, Clock clock) {
        this.store = store;
        this.maxAgeMs = maxAgeMs;
        this.clock = clock;
    }

    /** @return how many rows were removed */
    public int prune() {
        long cutoff = clock.millis() - maxAgeMs;
        int removed = 0;
        for (int batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
            int deleted = store.pruneOlderThan(cutoff, BATCH);
            removed += deleted;
            if (deleted < BATCH) {
                break;
            }
        }
        return removed;
    }
}
