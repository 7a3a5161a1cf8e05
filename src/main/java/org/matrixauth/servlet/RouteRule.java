package org.matrixauth.servlet;

import org.matrixauth.PublicApi;
import org.matrixauth.auth.AuthOptions;

/**
 * How the filter treats the paths of one route (SPEC REQ-2, REQ-4).
 *
 * @param access whether a token is required, optional, or not looked at
 * @param options what the route lets through (guests, expired tokens, locked users) and requires (admin, blocking)
 */
@PublicApi
public record RouteRule(Access access, AuthOptions options) {
    /** Every path that no rule names: a token is required, nothing extra is let through, no blocking. */
    public static final RouteRule PROTECTED = new RouteRule(Access.REQUIRED, AuthOptions.STRICT);

    public enum Access {
        /** A valid token is required. */
        REQUIRED,
        /** REQ-4: no token → anonymous; a token → checked as usual. */
        OPTIONAL,
        /** No authentication at all. */
        PUBLIC,
        /** OAU-10: only the authorization server, with the shared secret (its provisioning API). */
        AUTHORIZATION_SERVER
    }
}
