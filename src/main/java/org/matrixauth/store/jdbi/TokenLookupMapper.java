package org.matrixauth.store.jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.matrixauth.store.TokenLookup;

/**
 * A row of {@link JdbiTokenStore#findByToken} as a {@link TokenLookup}, read by column name. Written
 * out rather than left to JDBI's {@code ConstructorMapper}, which matches the record's parameters to
 * the columns again for every statement: on a token's first use that reflection was the largest
 * single cost of the request (issue 28's profile).
 */
final class TokenLookupMapper implements RowMapper<TokenLookup> {
    @Override
    public TokenLookup map(ResultSet row, StatementContext context) throws SQLException {
        return new TokenLookup(
                row.getString("user_id"),
                row.getString("token_owner"),
                row.getLong("token_id"),
                row.getString("device_id"),
                nullableLong(row, "valid_until_ms"),
                row.getBoolean("used"),
                row.getBoolean("from_refresh"),
                row.getBoolean("is_guest"),
                row.getBoolean("shadow_banned"),
                row.getBoolean("locked"),
                row.getBoolean("admin"));
    }

    static Long nullableLong(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }
}
