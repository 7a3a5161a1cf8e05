package org.matrixauth.store;

import java.util.Collection;

/** Synapse's {@code user_ips} and the last-seen columns of {@code devices}. */
public interface ClientIpStore {
    /**
     * TRK-4: in one transaction, upsert every row into {@code user_ips} on (user_id, access_token,
     * ip) and update (never insert) the matching {@code devices} rows' last_seen, ip, user_agent.
     */
    void write(Collection<ClientIpRow> rows);

    /** TRK-7: delete at most {@code limit} rows last seen before the cutoff; returns how many. */
    int pruneOlderThan(long cutoffMs, int limit);
}
