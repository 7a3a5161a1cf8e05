package org.matrixauth.store;

import java.util.Optional;

/** Synapse's {@code access_tokens} table. */
public interface TokenStore {
    /** TOK-1: one indexed query. */
    Optional<TokenLookup> findByToken(String token);

    /** Whether the token's lookup is answered from memory; false for a store without a cache. */
    default boolean isCached(String token) {
        return false;
    }

    /** TOK-6: set {@code used} on a token row (the token itself names it to a cache). */
    void markUsed(String token, long tokenId);
}
