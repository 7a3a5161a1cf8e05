package org.matrixauth.auth;

import org.matrixauth.api.PublicApi;
import org.matrixauth.account.Threepid;

/**
 * Synapse's auth blocking as a homeserver calls it where Synapse does (SPEC BLK-7): before
 * creating an access token, registering a guest, and so on. Each check passes, or throws 403
 * {@code M_RESOURCE_LIMIT_EXCEEDED} while the server is disabled (BLK-4) or over its MAU limit (BLK-5).
 */
@PublicApi
public interface BlockingChecks {
    /** The check for a request that is already authenticated (BLK-1, BLK-2). */
    void check(Requester requester);

    /** The check for an existing user, e.g. before giving them a new access token. */
    void checkUser(String userId);

    /**
     * BLK-7: the check before a new access token for this user, unless it comes with an
     * appservice's registration of the user (Synapse's {@code is_appservice_ghost}) while
     * {@code track_appservice_user_ips} is off.
     */
    void checkNewAccessToken(String userId, boolean appserviceGhost);

    /** The check for a registration with a threepid (a reserved one is let through, BLK-5). */
    void checkThreepid(Threepid threepid);

    /** The check for a registration of a user of this type ("support" is let through, BLK-5). */
    void checkUserType(String userType);

    /** The check for a new user of whom nothing is known yet, e.g. a guest registering. */
    void checkNewUser();
}
