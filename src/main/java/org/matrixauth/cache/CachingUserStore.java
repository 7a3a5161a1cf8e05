package org.matrixauth.cache;

import java.util.Optional;
import java.util.OptionalLong;
import org.matrixauth.account.UserRecord;
import org.matrixauth.store.UserStore;

/** User records (admin flags, locks, types, registration) and account expiry from {@link AuthCaches} (CACHE-1). */
public final class CachingUserStore implements UserStore {
    private final UserStore database;
    private final AuthCaches caches;

    public CachingUserStore(UserStore database, AuthCaches caches) {
        this.database = database;
        this.caches = caches;
    }

    /**
     * An unknown user is not cached: a user registered a moment ago is found at once. An id holding
     * a NUL names nobody without a query: PostgreSQL's text cannot hold one, and asking would fail.
     */
    @Override
    public Optional<UserRecord> findUser(String userId) {
        if (userId.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        return Optional.ofNullable(caches.users().get(userId, key -> database.findUser(key).orElse(null)));
    }

    /** REQ-2: a user without a row is no admin, and is remembered as such for the short lifetime. */
    @Override
    public boolean isServerAdmin(String userId) {
        if (caches.absentUsers().getIfPresent(userId) != null) {
            return false;
        }
        Optional<UserRecord> user = findUser(userId);
        if (user.isEmpty()) {
            caches.absentUsers().put(userId, Boolean.TRUE);
        }
        return user.map(UserRecord::admin).orElse(false);
    }

    @Override
    public OptionalLong accountExpiresAt(String userId) {
        return caches.accountExpiry().get(userId, database::accountExpiresAt);
    }
}
