package org.matrixauth.account;

import org.matrixauth.api.PublicApi;

/** A row of Synapse's {@code users} table, as far as authentication needs it. */
@PublicApi
public record UserRecord(
        String userId,
        boolean isGuest,
        boolean admin,
        boolean shadowBanned,
        boolean locked,
        boolean deactivated,
        String userType,
        String appserviceId,
        long creationTs) {
    /** Synapse's {@code UserTypes.SUPPORT}: never blocked (BLK-3), never counted (TRK-6). */
    public static final String SUPPORT = "support";

    public boolean isSupport() {
        return SUPPORT.equals(userType);
    }

    /** MAU-1: an application service's user. */
    public boolean isAppserviceUser() {
        return appserviceId != null && !appserviceId.isEmpty();
    }
}
