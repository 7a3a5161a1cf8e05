package org.matrixauth.store.jdbi;

import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Jdbi;
import org.matrixauth.account.UserRecord;
import org.matrixauth.store.UserStore;

/**
 * {@link UserStore} over Synapse's {@code users} and {@code account_validity}, with the fluent API
 * for the reason {@link JdbiTokenStore} gives: a user's row is read once per user a node has not
 * seen (TRK-6's trial and support checks among others).
 */
final class JdbiUserStore implements UserStore {
    private static final String FIND_USER = "SELECT u.name AS user_id, u.is_guest, u.admin, u.shadow_banned,"
            + " <users_locked> AS locked, u.deactivated, u.user_type, u.appservice_id, u.creation_ts"
            + " FROM users u WHERE u.name = :userId";
    private static final UserRecordMapper USER_RECORD = new UserRecordMapper();

    private final Jdbi jdbi;

    JdbiUserStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Optional<UserRecord> findUser(String userId) {
        return jdbi.withHandle(h -> h.createQuery(FIND_USER).bind("userId", userId).map(USER_RECORD).findOne());
    }

    @Override
    public OptionalLong accountExpiresAt(String userId) {
        return UserLongColumn.read(jdbi, "SELECT expiration_ts_ms FROM account_validity WHERE user_id = :userId", userId);
    }
}
