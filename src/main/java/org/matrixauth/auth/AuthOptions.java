package org.matrixauth.auth;

import org.matrixauth.api.PublicApi;

/**
 * What a route lets through that an ordinary route refuses, and what it requires on top (SPEC
 * REQ-2). Start from {@link #STRICT} and add: {@code STRICT.allowingGuests().requiringAdmin()}.
 *
 * @param allowGuest TOK-5
 * @param allowExpired TOK-3 and TOK-9
 * @param allowLocked TOK-7
 * @param requireAdmin the effective user must be a server admin
 * @param authBlocking refuse while the server is disabled or over its MAU limit (BLK)
 */
@PublicApi
public record AuthOptions(boolean allowGuest, boolean allowExpired, boolean allowLocked, boolean requireAdmin,
                          boolean authBlocking) {
    /** Nothing extra let through, nothing extra required. */
    public static final AuthOptions STRICT = new AuthOptions(false, false, false, false, false);

    public AuthOptions allowingGuests() {
        return new AuthOptions(true, allowExpired, allowLocked, requireAdmin, authBlocking);
    }

    public AuthOptions allowingExpired() {
        return new AuthOptions(allowGuest, true, allowLocked, requireAdmin, authBlocking);
    }

    public AuthOptions allowingLocked() {
        return new AuthOptions(allowGuest, allowExpired, true, requireAdmin, authBlocking);
    }

    public AuthOptions requiringAdmin() {
        return new AuthOptions(allowGuest, allowExpired, allowLocked, true, authBlocking);
    }

    public AuthOptions blocking() {
        return new AuthOptions(allowGuest, allowExpired, allowLocked, requireAdmin, true);
    }
}
