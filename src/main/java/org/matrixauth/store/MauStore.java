package org.matrixauth.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.matrixauth.account.Threepid;

/** Synapse's {@code monthly_active_users} and the {@code user_threepids} lookups it needs. */
public interface MauStore {
    /** @return the user's {@code timestamp}, or empty when the user is not counted */
    OptionalLong lastSeen(String userId);

    /** MAU-1: the number of monthly active users, appservice users excluded. */
    int count();

    /** MAU-1: monthly active users by appservice id, "native" for the rest. */
    Map<String, Integer> countByService();

    void upsert(String userId, long timestamp);

    /** MAU-2: remove users last seen before the cutoff, except those given. @return who was removed */
    List<String> removeOlderThan(long cutoffMs, Collection<String> keep);

    /** MAU-2: keep only the {@code limit} most recent users besides those given. @return who was removed */
    List<String> trimTo(int limit, Collection<String> keep);

    /** MAU-3: the registered owners of these threepids. */
    List<String> ownersOf(Collection<Threepid> threepids);
}
