package org.matrixauth.store;

import java.util.Optional;

/** Synapse's {@code users} and {@code account_validity} tables. */
public interface UserStore {
    Optional<UserRecord> findUser(String userId);

    /** REQ-2: {@code users.admin}; false for an unknown user. */
    default boolean isServerAdmin(String userId) {
        return findUser(userId).map(UserRecord::admin).orElse(false);
    }

    /** TOK-9: whether {@code account_validity.expiration_ts_ms} has passed; false without a row. */
    boolean isAccountExpired(String userId, long nowMs);
}
