package org.matrixauth.oauth;

import java.util.Set;

/**
 * One proper answer of the introspection endpoint (RFC 7662, with MAS's claims), as Synapse's
 * {@code IntrospectionResponse} reads it.
 *
 * @param scopes {@code scope} split on spaces; empty without one
 * @param username MAS's {@code username} claim: the user's localpart; null without one
 * @param deviceId MAS's explicit {@code device_id} (compatibility sessions); null without one
 * @param expiresInSeconds null when the token does not expire (MAS's compatibility tokens)
 * @param retrievedAtMs when the answer arrived, which {@code expires_in} counts from
 */
record Introspection(boolean active, Set<String> scopes, String username, String deviceId, Long expiresInSeconds,
                     long retrievedAtMs) {

    /** OAU-3. */
    boolean isActive(long nowMs) {
        return active && nowMs < expiresAtMs();
    }

    /** When the token stops being active; {@link Long#MAX_VALUE} when it never does. */
    long expiresAtMs() {
        if (expiresInSeconds == null) {
            return Long.MAX_VALUE;
        }
        long expiresInMs = expiresInSeconds > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : expiresInSeconds * 1000;
        return expiresInMs > Long.MAX_VALUE - retrievedAtMs ? Long.MAX_VALUE : retrievedAtMs + expiresInMs;
    }
}
