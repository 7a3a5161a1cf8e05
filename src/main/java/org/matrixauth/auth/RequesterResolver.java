package org.matrixauth.auth;

import org.matrixauth.token.AccessTokenExtractor;

/**
 * Synapse's {@code Auth.get_user_by_req}: take the token (EXT), then try it as an application
 * service's (AS), then as a user's or a guest's (TOK, MAC).
 */
public final class RequesterResolver {
    private static final String ACCESS_TOKEN_PARAM = "access_token";

    private final AccessTokenExtractor extractor;
    private final AppServiceAuthenticator appServices;
    private final UserTokenAuthenticator userTokens;

    public RequesterResolver(
            AccessTokenExtractor extractor, AppServiceAuthenticator appServices, UserTokenAuthenticator userTokens) {
        this.extractor = extractor;
        this.appServices = appServices;
        this.userTokens = userTokens;
    }

    /** REQ-4: whether the request carries a token at all. */
    public boolean hasAccessToken(ClientRequest request) {
        return extractor.hasAccessToken(request.authorizationHeaders(), request.queryValues(ACCESS_TOKEN_PARAM));
    }

    /** @throws org.matrixauth.error.MatrixException when the request may not proceed */
    public Requester resolve(ClientRequest request, AuthOptions options) {
        String token = extractor.extract(request.authorizationHeaders(), request.queryValues(ACCESS_TOKEN_PARAM));
        return appServices.authenticate(token, request)
                .orElseGet(() -> userTokens.authenticate(token, options, UserTokenAuthenticator.LookupListener.NONE));
    }

    public UserTokenAuthenticator userTokens() {
        return userTokens;
    }
}
