package org.matrixauth.store.jdbi;

import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.matrixauth.store.UserRecord;
import org.matrixauth.store.UserStore;

/** {@link UserStore} over Synapse's {@code users} and {@code account_validity}. */
public interface JdbiUserStore extends UserStore {

    @Override
    @SqlQuery("SELECT name AS user_id, is_guest, admin, shadow_banned, locked, deactivated, user_type,"
            + " appservice_id, creation_ts FROM users WHERE name = :userId")
    @RegisterConstructorMapper(UserRecord.class)
    Optional<UserRecord> findUser(@Bind("userId") String userId);

    @Override
    @SqlQuery("SELECT EXISTS (SELECT 1 FROM account_validity WHERE user_id = :userId AND expiration_ts_ms < :nowMs)")
    boolean isAccountExpired(@Bind("userId") String userId, @Bind("nowMs") long nowMs);
}
