package org.matrixauth.auth;

import java.util.Optional;
import java.util.function.Predicate;
import org.matrixauth.store.TokenLookup;
import org.matrixauth.store.TokenStore;

/** Synapse's access tokens, rows of {@code access_tokens} (SPEC TOK-1, TOK-2, TOK-4, TOK-6). */
public final class AccessTokenAuthenticator implements TokenAuthenticator {
    private final TokenStore tokens;
    private final TokenUseMarks useMarks;
    private final Predicate<String> knownNotStored;

    /**
     * @param useMarks TOK-6's writes, over the same store
     * @param knownNotStored tokens known, within CACHE-4's bound, not to be rows of {@code access_tokens}
     *     (guest macaroons verified a moment ago): not looked up again
     */
    public AccessTokenAuthenticator(TokenStore tokens, TokenUseMarks useMarks, Predicate<String> knownNotStored) {
        this.tokens = tokens;
        this.useMarks = useMarks;
        this.knownNotStored = knownNotStored;
    }

    /**
     * TOK-1: the cache (CACHE-1), else one indexed query, which an unknown token always costs
     * (CACHE-4) and FLOOD limits; TOK-2: not found is not mine.
     */
    @Override
    public Optional<Requester> authenticate(String token, ClientRequest request, CostlyCheckLimit limit) {
        Optional<TokenLookup> lookup = tokens.findCached(token);
        if (lookup.isEmpty()) {
            if (knownNotStored.test(token)) {
                return Optional.empty();
            }
            limit.beforeCostlyCheck();
            lookup = tokens.findByToken(token);
        }
        return lookup.map(AccessTokenAuthenticator::requester);
    }

    /** TOK-4: a puppet token acts as the puppeted user, owned by the admin. */
    private static Requester requester(TokenLookup lookup) {
        return (lookup.isGuest() ? Requester.guest(lookup.userId()) : Requester.user(lookup.userId()))
                .puppetedBy(lookup.tokenOwner())
                .accessTokenId(lookup.tokenId())
                .deviceId(lookup.deviceId())
                .shadowBanned(lookup.shadowBanned())
                .serverAdmin(lookup.admin())
                .tokenValidUntilMs(lookup.validUntilMs())
                .locked(lookup.locked())
                .tokenMarkedUsed(lookup.used())
                .tokenFromRefresh(lookup.fromRefresh())
                .build();
    }

    /** TOK-6: a token is marked used once; the cache knows it then, so later requests write nothing. */
    @Override
    public void accepted(String token, Requester requester) {
        if (!requester.tokenMarkedUsed()) {
            useMarks.markUsed(token, requester.accessTokenId(), requester.tokenFromRefresh());
        }
    }
}
