package org.matrixauth.store;

/**
 * What one indexed query (SPEC TOK-1) knows about an access token: a row of {@code access_tokens}
 * joined with the effective user's row of {@code users}.
 *
 * @param userId the effective user: {@code puppets_user_id} for a puppet token, else the owner
 * @param tokenOwner {@code access_tokens.user_id}, who really authenticated
 * @param tokenId {@code access_tokens.id}
 * @param validUntilMs null when the token never expires
 * @param used whether {@code access_tokens.used} is already set (TOK-6)
 * @param fromRefresh whether the token was issued by a refresh ({@code access_tokens.refresh_token_id} is
 *     set), whose rotation reads {@code used} (RFT-4)
 * @param admin {@code users.admin} of the effective user (REQ-2), so no second query asks it
 */
public record TokenLookup(
        String userId,
        String tokenOwner,
        Long tokenId,
        String deviceId,
        Long validUntilMs,
        boolean used,
        boolean fromRefresh,
        boolean isGuest,
        boolean shadowBanned,
        boolean locked,
        boolean admin) {

    /** The same lookup once the token has been marked used (TOK-6). */
    public TokenLookup asUsed() {
        return new TokenLookup(userId, tokenOwner, tokenId, deviceId, validUntilMs, true, fromRefresh, isGuest,
                shadowBanned, locked, admin);
    }

    /** TOK-4: an admin acting as another user. */
    public boolean isPuppet() {
        return !userId.equals(tokenOwner);
    }
}
