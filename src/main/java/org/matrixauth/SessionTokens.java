package org.matrixauth;

import org.matrixauth.api.PublicApi;

/**
 * What a login asking for a refresh token (RFT-1), or a refresh (RFT-2), gives the client.
 *
 * @param validUntilMs when the access token expires; null when it never does
 * @param expiresInMs what the client is told ({@code expires_in_ms}): the access token's lifetime
 *     from the moment it was issued; null when it never expires
 */
@PublicApi
public record SessionTokens(String accessToken, String refreshToken, Long validUntilMs, Long expiresInMs) {}
