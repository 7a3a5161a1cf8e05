package org.matrixauth.cache;

/**
 * What a change notification names (CACHE-3), and so what a cached entry is evicted by: a token
 * row by its id, a user, or one of a user's devices. Never a token itself: notifications carry
 * ids only.
 */
public sealed interface Subject {
    /** A row of {@code access_tokens}. */
    record Token(long id) implements Subject {}

    /** A row of {@code users} (and what hangs on it: account validity, every token issued to or acting as it). */
    record User(String userId) implements Subject {}

    /** A row of {@code devices}, and (in Synapse) the tokens issued for it. */
    record Device(String userId, String deviceId) implements Subject {}
}
