package org.matrixauth.servlet;

import org.matrixauth.auth.AuthOptions;

/**
 * How the filter treats the paths of one route (SPEC REQ-2, REQ-4).
 *
 * @param access whether a token is required, optional, or not looked at
 * @param options what the route lets through (guests, expired tokens, locked users)
 * @param requireAdmin whether the effective user must be a server admin
 * @param authBlocking whether the server refuses the request when disabled or over its MAU limit (BLK)
 */
public record RouteRule(Access access, AuthOptions options, boolean requireAdmin, boolean authBlocking) {
    /** Every path that no rule names: a token is required, nothing extra is let through, no blocking. */
    public static final RouteRule PROTECTED = new RouteRule(Access.REQUIRED, AuthOptions.STRICT, false, false);

    public enum Access {
        /** A valid token is required. */
        REQUIRED,
        /** REQ-4: no token → anonymous; a token → checked as usual. */
        OPTIONAL,
        /** No authentication at all. */
        PUBLIC
    }
}
