package org.matrixauth.store;

/**
 * A row of {@code refresh_tokens} with what its successor has done, as Synapse's
 * {@code lookup_refresh_token} reads it (RFT-4).
 *
 * @param tokenId {@code refresh_tokens.id}
 * @param nextTokenId the refresh token that replaced it; null while it has not been refreshed
 * @param nextRefreshTokenRefreshed whether that successor has itself been refreshed
 * @param nextAccessTokenUsed whether the access token issued with that successor has been used (TOK-6)
 * @param expiryTs null when it never expires
 * @param ultimateSessionExpiryTs null when the session may be refreshed for ever
 */
public record RefreshTokenLookup(
        long tokenId,
        String userId,
        String deviceId,
        Long nextTokenId,
        boolean nextRefreshTokenRefreshed,
        boolean nextAccessTokenUsed,
        Long expiryTs,
        Long ultimateSessionExpiryTs) {}
