package org.matrixauth.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Synapse's {@code refresh_tokens}, with the access tokens each one issues. */
public interface RefreshTokenStore {
    /** RFT-1: both rows, the access token's {@code refresh_token_id} naming the refresh token's. */
    void insert(NewSession session, long nowMs);

    /**
     * RFT-2, RFT-4: in one transaction holding the row of {@code token}, so that concurrent refreshes
     * of it (on any node) take turns: {@code successor} is shown the token's lookup and refuses it by
     * throwing, or names the session that replaces the token's earlier successor, which is deleted
     * with its access tokens.
     *
     * @return empty when no refresh token is {@code token}
     */
    Optional<Refreshed> refresh(String token, long nowMs, Function<RefreshTokenLookup, NewSession> successor);

    /**
     * @param session what replaced the token
     * @param deletedAccessTokenIds the access tokens of the earlier successor, deleted with it
     */
    record Refreshed(NewSession session, List<Long> deletedAccessTokenIds) {}
}
