package org.matrixauth.auth;

/**
 * What a route lets through that an ordinary route refuses (SPEC REQ-2).
 *
 * @param allowGuest TOK-5
 * @param allowExpired TOK-3 and TOK-9
 * @param allowLocked TOK-7
 */
public record AuthOptions(boolean allowGuest, boolean allowExpired, boolean allowLocked) {
    public static final AuthOptions STRICT = new AuthOptions(false, false, false);
}
