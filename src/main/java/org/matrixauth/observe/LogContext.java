package org.matrixauth.observe;

import org.matrixauth.auth.Requester;
import org.slf4j.MDC;

/**
 * OBS-1: the requester in SLF4J's MDC while the rest of the chain runs, so that every line the
 * homeserver logs for the request names who made it. Never the token. What the container or an
 * earlier filter had under these keys is put back afterwards, and what it had under other keys
 * is not touched.
 *
 * <p>The MDC is per thread: a request that goes async leaves these keys on the thread that
 * started it only until the filter returns; a continuation on another thread sets its own.
 */
public final class LogContext {
    /** The effective user (Synapse's {@code requester.user}). */
    public static final String USER_ID = "matrix.user_id";
    /** The device, where the token has one or an appservice named one. */
    public static final String DEVICE_ID = "matrix.device_id";
    /** The application service that authenticated, where one did. */
    public static final String APPSERVICE_ID = "matrix.appservice_id";
    /** Who authenticated, only where it is not the user: a puppet token's owner, a masquerading appservice's sender. */
    public static final String AUTHENTICATED_ENTITY = "matrix.authenticated_entity";

    /** Nothing was under the keys before: restoring is removing them. Most requests, and no allocation. */
    private static final LogContext EMPTY_BEFORE = new LogContext(null, null, null, null);

    private final String userIdBefore;
    private final String deviceIdBefore;
    private final String appServiceIdBefore;
    private final String authenticatedEntityBefore;

    private LogContext(String userIdBefore, String deviceIdBefore, String appServiceIdBefore,
                       String authenticatedEntityBefore) {
        this.userIdBefore = userIdBefore;
        this.deviceIdBefore = deviceIdBefore;
        this.appServiceIdBefore = appServiceIdBefore;
        this.authenticatedEntityBefore = authenticatedEntityBefore;
    }

    /** Puts the requester in the MDC; the answer {@link #restore()}s what was there. */
    public static LogContext enter(Requester requester) {
        LogContext before = saved();
        set(USER_ID, requester.userId());
        set(DEVICE_ID, requester.deviceId());
        set(APPSERVICE_ID, requester.isAppService() ? requester.appService().id() : null);
        set(AUTHENTICATED_ENTITY, ActingAs.actorOtherThanUser(requester));
        return before;
    }

    private static LogContext saved() {
        String userId = MDC.get(USER_ID);
        String deviceId = MDC.get(DEVICE_ID);
        String appServiceId = MDC.get(APPSERVICE_ID);
        String authenticatedEntity = MDC.get(AUTHENTICATED_ENTITY);
        if (userId == null && deviceId == null && appServiceId == null && authenticatedEntity == null) {
            return EMPTY_BEFORE;
        }
        return new LogContext(userId, deviceId, appServiceId, authenticatedEntity);
    }

    /** Puts back what was under the keys before {@link #enter}. */
    public void restore() {
        set(USER_ID, userIdBefore);
        set(DEVICE_ID, deviceIdBefore);
        set(APPSERVICE_ID, appServiceIdBefore);
        set(AUTHENTICATED_ENTITY, authenticatedEntityBefore);
    }

    /** A key without a value is removed: an MDC need not accept null values. */
    private static void set(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
