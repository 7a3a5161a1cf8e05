package org.matrixauth.store;

/** A row of Synapse's {@code users} table, as far as authentication needs it. */
public record UserRecord(
        String userId,
        boolean isGuest,
        boolean admin,
        boolean shadowBanned,
        boolean locked,
        boolean deactivated,
        String userType,
        String appserviceId,
        long creationTs) {}
