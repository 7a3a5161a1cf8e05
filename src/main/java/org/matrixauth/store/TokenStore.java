package org.matrixauth.store;

import java.util.Optional;

/** Synapse's {@code access_tokens} table. */
public interface TokenStore {
    /** TOK-1: one indexed query. */
    Optional<TokenLookup> findByToken(String token);

    /** The token's lookup when memory holds it (no I/O); empty when it is not there, or the store has no cache. */
    default Optional<TokenLookup> findCached(String token) {
        return Optional.empty();
    }

    /** TOK-6: set {@code used} on a token row (the token itself names it to a cache). */
    void markUsed(String token, long tokenId);
}
