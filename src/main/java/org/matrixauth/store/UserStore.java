package org.matrixauth.store;

import java.util.Optional;
import java.util.OptionalLong;
import org.matrixauth.account.UserRecord;

/** Synapse's {@code users} and {@code account_validity} tables. */
public interface UserStore {
    Optional<UserRecord> findUser(String userId);

    /** REQ-2: {@code users.admin}; false for an unknown user. */
    default boolean isServerAdmin(String userId) {
        return findUser(userId).map(UserRecord::admin).orElse(false);
    }

    /** TOK-9: {@code account_validity.expiration_ts_ms}; empty without a row (the account never expires). */
    OptionalLong accountExpiresAt(String userId);
}
