package org.matrixauth.store;

import java.util.Map;
import java.util.Optional;

/** Synapse's {@code access_tokens} table. */
public interface TokenStore {
    /** TOK-1: one indexed query. */
    Optional<TokenLookup> findByToken(String token);

    /** The token's lookup when memory holds it (no I/O); empty when it is not there, or the store has no cache. */
    default Optional<TokenLookup> findCached(String token) {
        return Optional.empty();
    }

    /** TOK-6: set {@code used} on these token rows, token to row id (the token names the row to a cache). */
    void markUsed(Map<String, Long> tokenIds);
}
