package org.matrixauth.store.jdbi;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.matrixauth.store.NewSession;
import org.matrixauth.store.RefreshTokenLookup;
import org.matrixauth.store.RefreshTokenStore;

/**
 * {@link RefreshTokenStore} over Synapse's {@code refresh_tokens} and {@code access_tokens}, with
 * Synapse's statements ({@code lookup_refresh_token}, {@code replace_refresh_token},
 * {@code add_refresh_token_to_user}, {@code add_access_token_to_user}).
 *
 * <p>Ids are the largest so far plus one, taken in the insert itself: the id Synapse's own counter
 * (which starts from {@code MAX(id)}) gives next. Two writers that take the same id at once collide
 * on the primary key; the loser's transaction is run again, and takes the next.
 */
final class JdbiRefreshTokenStore implements RefreshTokenStore {
    /** SQLState of a unique-key violation, on PostgreSQL and H2 alike. */
    private static final String UNIQUE_VIOLATION = "23505";
    /** Every lost race means another insert won, so this many losses in a row is no race any more. */
    private static final int ATTEMPTS = 100;

    private final Jdbi jdbi;
    private final ChangePublisher changes;

    JdbiRefreshTokenStore(Jdbi jdbi, ChangePublisher changes) {
        this.jdbi = jdbi;
        this.changes = changes;
    }

    @Override
    public void insert(NewSession session, long nowMs) {
        retryingLostRaces(() -> jdbi.inTransaction(h -> insert(h, session, nowMs)));
    }

    /** @return the refresh token's id */
    private static long insert(Handle h, NewSession session, long nowMs) {
        h.createUpdate("INSERT INTO refresh_tokens (id, user_id, device_id, token, next_token_id, expiry_ts,"
                        + " ultimate_session_expiry_ts) SELECT COALESCE(MAX(id), 0) + 1, :user, :device, :token, NULL,"
                        + " :expiry, :ultimate FROM refresh_tokens")
                .bind("user", session.userId()).bind("device", session.deviceId()).bind("token", session.refreshToken())
                .bind("expiry", session.refreshTokenExpiryTs()).bind("ultimate", session.ultimateSessionExpiryTs())
                .execute();
        long refreshTokenId = h.createQuery("SELECT id FROM refresh_tokens WHERE token = :token")
                .bind("token", session.refreshToken()).mapTo(Long.class).one();
        h.createUpdate("INSERT INTO access_tokens (id, user_id, token, device_id, valid_until_ms, puppets_user_id,"
                        + " last_validated, refresh_token_id, used) SELECT COALESCE(MAX(id), 0) + 1, :user, :token,"
                        + " :device, :validUntil, NULL, :now, :refreshTokenId, FALSE FROM access_tokens")
                .bind("user", session.userId()).bind("token", session.accessToken()).bind("device", session.deviceId())
                .bind("validUntil", session.accessTokenValidUntilMs()).bind("now", nowMs)
                .bind("refreshTokenId", refreshTokenId)
                .execute();
        return refreshTokenId;
    }

    @Override
    public Optional<Refreshed> refresh(String token, long nowMs, Function<RefreshTokenLookup, NewSession> successor) {
        return retryingLostRaces(() -> jdbi.inTransaction(h -> {
            // The row lock makes concurrent refreshes of one token take turns, each seeing what the
            // one before committed: the last replaces the others' successors (RFT-4), and no two survive.
            Optional<Long> id = h.createQuery("SELECT id FROM refresh_tokens WHERE token = :token FOR UPDATE")
                    .bind("token", token).mapTo(Long.class).findOne();
            if (id.isEmpty()) {
                return Optional.<Refreshed>empty();
            }
            RefreshTokenLookup lookup = lookup(h, id.get());
            NewSession session = successor.apply(lookup);
            long nextId = insert(h, session, nowMs);
            h.createUpdate("UPDATE refresh_tokens SET next_token_id = :next WHERE id = :id")
                    .bind("next", nextId).bind("id", lookup.tokenId()).execute();
            List<Long> deleted = lookup.nextTokenId() == null ? List.of() : deleteSuccessor(h, lookup.nextTokenId());
            return Optional.of(new Refreshed(session, deleted));
        }));
    }

    /** Synapse's {@code lookup_refresh_token}, by the row's id. */
    private static RefreshTokenLookup lookup(Handle h, long id) {
        return h.createQuery("SELECT rt.id, rt.user_id, rt.device_id, rt.next_token_id,"
                        + " (nrt.next_token_id IS NOT NULL) AS next_refreshed, at.used AS next_used,"
                        + " rt.expiry_ts, rt.ultimate_session_expiry_ts"
                        + " FROM refresh_tokens rt"
                        + " LEFT JOIN refresh_tokens nrt ON rt.next_token_id = nrt.id"
                        + " LEFT JOIN access_tokens at ON at.refresh_token_id = nrt.id"
                        + " WHERE rt.id = :id")
                .bind("id", id)
                .map((rs, ctx) -> new RefreshTokenLookup(rs.getLong(1), rs.getString(2), rs.getString(3),
                        (Long) rs.getObject(4, Long.class), rs.getBoolean(5), rs.getBoolean(6), // used NULL: false, as Synapse
                        (Long) rs.getObject(7, Long.class), (Long) rs.getObject(8, Long.class)))
                .first();
    }

    /**
     * Synapse deletes the earlier successor and lets the cascade take its access token; here the
     * access tokens go first, by id, so that each is published to the other nodes' caches.
     */
    private List<Long> deleteSuccessor(Handle h, long successorId) {
        List<Long> accessTokenIds = h.createQuery("SELECT id FROM access_tokens WHERE refresh_token_id = :id")
                .bind("id", successorId).mapTo(Long.class).list();
        for (long accessTokenId : accessTokenIds) {
            h.createUpdate("DELETE FROM access_tokens WHERE id = :id").bind("id", accessTokenId).execute();
            changes.publishToken(h, accessTokenId);
        }
        h.createUpdate("DELETE FROM refresh_tokens WHERE id = :id").bind("id", successorId).execute();
        return accessTokenIds;
    }

    private static <T> T retryingLostRaces(Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (RuntimeException e) {
                if (!isLostRace(e) || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static boolean isLostRace(RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
