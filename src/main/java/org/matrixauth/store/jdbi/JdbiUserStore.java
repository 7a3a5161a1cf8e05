package org.matrixauth.store.jdbi;

import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.matrixauth.account.UserRecord;
import org.matrixauth.store.UserStore;

/** {@link UserStore} over Synapse's {@code users} and {@code account_validity}. */
public interface JdbiUserStore extends UserStore {

    @Override
    @SqlQuery("SELECT u.name AS user_id, u.is_guest, u.admin, u.shadow_banned, <users_locked> AS locked, u.deactivated,"
            + " u.user_type, u.appservice_id, u.creation_ts FROM users u WHERE u.name = :userId")
    @RegisterConstructorMapper(UserRecord.class)
    Optional<UserRecord> findUser(@Bind("userId") String userId);

    @Override
    @SqlQuery("SELECT expiration_ts_ms FROM account_validity WHERE user_id = :userId")
    OptionalLong accountExpiresAt(@Bind("userId") String userId);
}
