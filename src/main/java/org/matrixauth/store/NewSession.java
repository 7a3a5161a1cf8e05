package org.matrixauth.store;

/**
 * A refresh token and the access token issued with it, as Synapse's
 * {@code add_refresh_token_to_user} and {@code add_access_token_to_user} write them.
 *
 * @param accessTokenValidUntilMs null when the access token never expires
 * @param refreshTokenExpiryTs null when the refresh token never expires
 * @param ultimateSessionExpiryTs null when the session may be refreshed for ever
 */
public record NewSession(
        String userId,
        String deviceId,
        String accessToken,
        Long accessTokenValidUntilMs,
        String refreshToken,
        Long refreshTokenExpiryTs,
        Long ultimateSessionExpiryTs) {}
