package org.matrixauth.store.jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.matrixauth.account.UserRecord;

/** A row of {@code users} as a {@link UserRecord}, by column name (see {@link TokenLookupMapper} for why by hand). */
final class UserRecordMapper implements RowMapper<UserRecord> {
    @Override
    public UserRecord map(ResultSet row, StatementContext context) throws SQLException {
        return new UserRecord(
                row.getString("user_id"),
                row.getBoolean("is_guest"),
                row.getBoolean("admin"),
                row.getBoolean("shadow_banned"),
                row.getBoolean("locked"),
                row.getBoolean("deactivated"),
                row.getString("user_type"),
                row.getString("appservice_id"),
                row.getLong("creation_ts"));
    }
}
