package org.matrixauth.store.jdbi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.jdbi.v3.core.Jdbi;
import org.matrixauth.store.MauStore;
import org.matrixauth.account.Threepid;

/** {@link MauStore} over Synapse's {@code monthly_active_users}, {@code users} and {@code user_threepids}. */
final class JdbiMauStore implements MauStore {
    /**
     * MAU-1: as Synapse counts, appservice users (appservice_id set and not empty) are left out; a
     * user without a users row (an appservice's sender) is counted, its appservice_id being NULL
     * through the LEFT JOIN.
     */
    private static final String NATIVE_USERS = "(u.appservice_id IS NULL OR u.appservice_id = '')";

    private final Jdbi jdbi;
    private final SqlDialect dialect;

    JdbiMauStore(Jdbi jdbi, SqlDialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    @Override
    public OptionalLong lastSeen(String userId) {
        return UserLongColumn.read(jdbi, "SELECT \"timestamp\" FROM monthly_active_users WHERE user_id = :userId", userId);
    }

    @Override
    public int count() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM monthly_active_users m"
                        + " LEFT JOIN users u ON m.user_id = u.name WHERE " + NATIVE_USERS)
                .mapTo(Integer.class)
                .one());
    }

    @Override
    public Map<String, Integer> countByService() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT CASE WHEN " + NATIVE_USERS + " THEN 'native' ELSE u.appservice_id END"
                        + " AS service, COUNT(*) AS n FROM monthly_active_users m LEFT JOIN users u ON m.user_id = u.name"
                        + " GROUP BY CASE WHEN " + NATIVE_USERS + " THEN 'native' ELSE u.appservice_id END ORDER BY service")
                .map((rs, ctx) -> counts.put(rs.getString("service"), rs.getInt("n")))
                .list());
        return counts;
    }

    @Override
    public void upsert(String userId, long timestamp) {
        jdbi.useHandle(h -> h.createUpdate(dialect.upsertMonthlyActiveUser)
                .bind("userId", userId)
                .bind("timestamp", timestamp)
                .execute());
    }

    @Override
    public List<String> removeOlderThan(long cutoffMs, Collection<String> keep) {
        return jdbi.withHandle(h -> h.createQuery(dialect.deletedUserIds("DELETE FROM monthly_active_users"
                        + " WHERE \"timestamp\" < :cutoff AND user_id NOT IN (<keep>)"))
                .bind("cutoff", cutoffMs)
                .bindList("keep", nonEmpty(keep))
                .mapTo(String.class)
                .list());
    }

    @Override
    public List<String> trimTo(int limit, Collection<String> keep) {
        return jdbi.withHandle(h -> h.createQuery(dialect.deletedUserIds("DELETE FROM monthly_active_users"
                        + " WHERE user_id NOT IN (<keep>) AND user_id NOT IN (SELECT user_id FROM monthly_active_users"
                        + " WHERE user_id NOT IN (<keep>) ORDER BY \"timestamp\" DESC LIMIT :limit)"))
                .bind("limit", limit)
                .bindList("keep", nonEmpty(keep))
                .mapTo(String.class)
                .list());
    }

    /** SQL has no empty IN list; no user is called "". */
    private static List<String> nonEmpty(Collection<String> userIds) {
        List<String> list = new ArrayList<>(userIds);
        list.add("");
        return list;
    }

    @Override
    public List<String> ownersOf(Collection<Threepid> threepids) {
        List<String> owners = new ArrayList<>();
        jdbi.useHandle(h -> {
            for (Threepid threepid : threepids) {
                Threepid wanted = threepid.normalised();
                h.createQuery("SELECT user_id FROM user_threepids WHERE medium = :medium"
                                + " AND (address = :address OR (medium = 'email' AND LOWER(address) = :address))")
                        .bind("medium", wanted.medium())
                        .bind("address", wanted.address())
                        .mapTo(String.class)
                        .findFirst()
                        .ifPresent(owners::add);
            }
        });
        return owners;
    }
}
