package org.matrixauth.store.jdbi;

import java.util.OptionalLong;
import org.jdbi.v3.core.Jdbi;

/** A long column of the row a user id keys (MAU's last-seen time, account validity's expiry); empty without a row. */
final class UserLongColumn {
    private UserLongColumn() {}

    /** @param sql one column of at most one row, the user bound as {@code :userId} */
    static OptionalLong read(Jdbi jdbi, String sql, String userId) {
        return jdbi.withHandle(h -> h.createQuery(sql)
                .bind("userId", userId)
                .mapTo(Long.class)
                .findOne()
                .map(OptionalLong::of)
                .orElse(OptionalLong.empty()));
    }
}
