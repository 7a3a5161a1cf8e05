package org.matrixauth.cache;

import java.util.Map;
import java.util.Optional;
import org.matrixauth.store.TokenLookup;
import org.matrixauth.store.TokenStore;

/** Token lookups served from {@link AuthCaches} when known: the hot path's only read (CACHE-1). */
public final class CachingTokenStore implements TokenStore {
    private final TokenStore database;
    private final AuthCaches caches;

    public CachingTokenStore(TokenStore database, AuthCaches caches) {
        this.database = database;
        this.caches = caches;
    }

    @Override
    public Optional<TokenLookup> findByToken(String token) {
        // CACHE-4: a token the database does not know is not cached, so one created a moment ago works.
        return Optional.ofNullable(caches.tokens().get(token, key -> database.findByToken(key).orElse(null)));
    }

    @Override
    public Optional<TokenLookup> findCached(String token) {
        return Optional.ofNullable(caches.tokens().getIfPresent(token));
    }

    /** TOK-6: the cached entries are marked too, once written, so each token is written once. */
    @Override
    public void markUsed(Map<String, Long> tokenIds) {
        database.markUsed(tokenIds);
        tokenIds.keySet().forEach(token -> caches.tokens().update(token, TokenLookup::asUsed));
    }
}
