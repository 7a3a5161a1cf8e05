package org.matrixauth.auth;

import org.matrixauth.appservice.ApplicationService;

/**
 * Who a request acts as (SPEC section 0), as Synapse's {@code Requester}.
 *
 * @param userId the effective user
 * @param accessTokenId {@code access_tokens.id}; null for application services and guest macaroons
 * @param deviceId null when the request has no device
 * @param appService the application service that authenticated, or null
 * @param authenticatedEntity who really authenticated: the token owner (the admin, for a puppet token)
 */
public record Requester(
        String userId,
        Long accessTokenId,
        String deviceId,
        boolean isGuest,
        boolean shadowBanned,
        ApplicationService appService,
        String authenticatedEntity) {

    public boolean isAppService() {
        return appService != null;
    }

    /** TOK-4: an admin acting as another user through a puppet token. */
    public boolean isPuppeted() {
        return !isAppService() && !userId.equals(authenticatedEntity);
    }
}
