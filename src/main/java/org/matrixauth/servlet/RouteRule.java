package org.matrixauth.servlet;

import org.matrixauth.api.PublicApi;
import org.matrixauth.auth.AuthOptions;

/**
 * How the filter treats the paths of one route (SPEC REQ-2, REQ-4).
 *
 * @param access whether a token is required, optional, or not looked at
 * @param options what the route lets through (guests, expired tokens, locked users) and requires (admin, blocking)
 * @param undelegatedOnly the route exists only while the homeserver authenticates by itself: while
 *     delegation is on (OAU-1) it is answered 404 M_UNRECOGNIZED, token or not, as Synapse serves no
 *     login, logout or password registration then
 */
@PublicApi
public record RouteRule(Access access, AuthOptions options, boolean undelegatedOnly) {
    /** Every path that no rule names: a token is required, nothing extra is let through, no blocking. */
    public static final RouteRule PROTECTED = new RouteRule(Access.REQUIRED, AuthOptions.STRICT);

    /** A route served whether or not authentication is delegated. */
    public RouteRule(Access access, AuthOptions options) {
        this(access, options, false);
    }

    public enum Access {
        /** A valid token is required. */
        REQUIRED,
        /** REQ-4: no token → anonymous; a token → checked as usual. */
        OPTIONAL,
        /** No authentication at all. */
        PUBLIC,
        /**
         * OAU-10: only the authorization server, with the shared secret (its provisioning API); without
         * delegation the route does not exist (404 M_UNRECOGNIZED), as Synapse mounts it only with MAS.
         */
        AUTHORIZATION_SERVER
    }
}
