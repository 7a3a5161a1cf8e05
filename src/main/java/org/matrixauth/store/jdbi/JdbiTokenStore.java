package org.matrixauth.store.jdbi;

import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.matrixauth.store.TokenLookup;
import org.matrixauth.store.TokenStore;

/** {@link TokenStore} over Synapse's {@code access_tokens} joined with {@code users}. */
public interface JdbiTokenStore extends TokenStore {

    /** TOK-1: one query on the unique index of {@code access_tokens.token}. */
    @Override
    @SqlQuery("SELECT u.name AS user_id, t.user_id AS token_owner, t.id AS token_id, t.device_id,"
            + " t.valid_until_ms, t.used, u.is_guest, u.shadow_banned, <users_locked> AS locked, u.admin"
            + " FROM access_tokens t JOIN users u ON u.name = COALESCE(t.puppets_user_id, t.user_id)"
            + " WHERE t.token = :token")
    @RegisterConstructorMapper(TokenLookup.class)
    Optional<TokenLookup> findByToken(@Bind("token") String token);

    /** TOK-6. */
    @Override
    default void markUsed(String token, long tokenId) {
        markUsed(tokenId);
    }

    @SqlUpdate("UPDATE access_tokens SET used = TRUE WHERE id = :tokenId")
    void markUsed(@Bind("tokenId") long tokenId);
}
