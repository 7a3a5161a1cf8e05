package org.matrixauth.store.jdbi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.matrixauth.store.TokenLookup;
import org.matrixauth.store.TokenStore;

/**
 * {@link TokenStore} over Synapse's {@code access_tokens} joined with {@code users}. Written with
 * JDBI's fluent API rather than as an on-demand SQL object: the lookup runs on every token's first
 * use, where the SQL object's per-call machinery (finding the method's handler, its configuration)
 * cost as much as the query's own work in pgjdbc (issue 28's profile).
 */
final class JdbiTokenStore implements TokenStore {
    /** TOK-1: one query on the unique index of {@code access_tokens.token}. */
    private static final String FIND_BY_TOKEN = "SELECT u.name AS user_id, t.user_id AS token_owner, t.id AS token_id,"
            + " t.device_id, t.valid_until_ms, t.used, t.refresh_token_id IS NOT NULL AS from_refresh, u.is_guest,"
            + " u.shadow_banned, <users_locked> AS locked, u.admin"
            + " FROM access_tokens t JOIN users u ON u.name = COALESCE(t.puppets_user_id, t.user_id)"
            + " WHERE t.token = :token";
    /** Ids in one statement: well below PostgreSQL's 32,767 parameters of a statement. */
    private static final int MARKS_PER_STATEMENT = 1_000;
    private static final TokenLookupMapper TOKEN_LOOKUP = new TokenLookupMapper();

    private final Jdbi jdbi;

    JdbiTokenStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Optional<TokenLookup> findByToken(String token) {
        return jdbi.withHandle(h -> h.createQuery(FIND_BY_TOKEN).bind("token", token).map(TOKEN_LOOKUP).findOne());
    }

    /** TOK-6: a statement for each {@link #MARKS_PER_STATEMENT} rows. */
    @Override
    public void markUsed(Map<String, Long> tokenIds) {
        List<Long> ids = new ArrayList<>(tokenIds.values());
        jdbi.useHandle(h -> {
            for (int from = 0; from < ids.size(); from += MARKS_PER_STATEMENT) {
                h.createUpdate("UPDATE access_tokens SET used = TRUE WHERE id IN (<ids>)")
                        .bindList("ids", ids.subList(from, Math.min(ids.size(), from + MARKS_PER_STATEMENT)))
                        .execute();
            }
        });
    }
}
