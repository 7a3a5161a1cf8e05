package org.matrixauth.store.jdbi;

import java.util.Collection;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.matrixauth.store.ClientIpRow;
import org.matrixauth.store.ClientIpStore;

/** {@link ClientIpStore} over Synapse's {@code user_ips} and {@code devices}. */
final class JdbiClientIpStore implements ClientIpStore {
    /** Synapse's own update: only ever moves last_seen forward, and never creates a device. */
    private static final String UPDATE_DEVICE = "UPDATE devices SET user_agent = :userAgent, last_seen = :lastSeen, ip = :ip"
            + " WHERE user_id = :userId AND device_id = :deviceId AND (last_seen < :lastSeen OR last_seen IS NULL)";

    private final Jdbi jdbi;
    private final SqlDialect dialect;

    JdbiClientIpStore(Jdbi jdbi, SqlDialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    @Override
    public void write(Collection<ClientIpRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        jdbi.useTransaction(handle -> {
            PreparedBatch userIps = handle.prepareBatch(dialect.upsertUserIp);
            PreparedBatch devices = handle.prepareBatch(UPDATE_DEVICE);
            boolean anyDevice = false;
            for (ClientIpRow row : rows) {
                userIps.bindMethods(row).add();
                if (row.deviceId() != null) {
                    devices.bindMethods(row).add();
                    anyDevice = true;
                }
            }
            userIps.execute();
            if (anyDevice) {
                devices.execute();
            }
        });
    }

    @Override
    public int pruneOlderThan(long cutoffMs, int limit) {
        return jdbi.withHandle(handle -> handle.createUpdate("DELETE FROM user_ips WHERE (user_id, access_token, ip) IN"
                        + " (SELECT user_id, access_token, ip FROM user_ips WHERE last_seen < :cutoff LIMIT :limit)")
                .bind("cutoff", cutoffMs)
                .bind("limit", limit)
                .execute());
    }
}
