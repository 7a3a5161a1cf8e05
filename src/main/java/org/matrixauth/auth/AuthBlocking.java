package org.matrixauth.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import org.matrixauth.config.BlockingConfig;
import org.matrixauth.config.MauConfig;
import org.matrixauth.error.Errcode;
import org.matrixauth.error.MatrixException;
import org.matrixauth.account.Threepid;
import org.matrixauth.account.UserRecord;
import org.matrixauth.store.UserStore;
import org.matrixauth.tracking.MonthlyActiveUsers;

/**
 * Synapse's {@code AuthBlocking} (SPEC BLK-1..7): whether the server refuses to act because it
 * is disabled or over its monthly-active-user limit. The filter runs it on routes configured with
 * {@code blocking}; a homeserver calls it itself where Synapse does (BLK-7): before creating an
 * access token, registering a guest, and so on.
 */
public final class AuthBlocking implements BlockingChecks {
    private final BlockingConfig blocking;
    private final MauConfig mau;
    private final boolean trackAppserviceUserIps;
    private final String serverName;
    private final MonthlyActiveUsers monthlyActiveUsers;
    private final UserStore users;

    public AuthBlocking(BlockingConfig blocking, MauConfig mau, boolean trackAppserviceUserIps, String serverName,
                        MonthlyActiveUsers monthlyActiveUsers, UserStore users) {
        this.blocking = blocking;
        this.mau = mau;
        this.trackAppserviceUserIps = trackAppserviceUserIps;
        this.serverName = serverName;
        this.monthlyActiveUsers = monthlyActiveUsers;
        this.users = users;
    }

    @Override
    public void check(Requester requester) {
        checkAuthBlocking(null, null, null, requester);
    }

    @Override
    public void checkUser(String userId) {
        checkAuthBlocking(userId, null, null, null);
    }

    @Override
    public void checkThreepid(Threepid threepid) {
        checkAuthBlocking(null, threepid, null, null);
    }

    @Override
    public void checkUserType(String userType) {
        checkAuthBlocking(null, null, userType, null);
    }

    @Override
    public void checkNewUser() {
        checkAuthBlocking(null, null, null, null);
    }

    /**
     * Synapse's {@code check_auth_blocking}, with at most one of its four arguments (the rest null).
     *
     * @throws MatrixException 403 {@code M_RESOURCE_LIMIT_EXCEEDED} when blocked
     */
    private void checkAuthBlocking(String userId, Threepid threepid, String userType, Requester requester) {
        if (requester != null) {
            String entity = requester.authenticatedEntity();
            if (entity.startsWith("@")) {
                userId = entity; // BLK-1: for a puppet token, the admin who owns it
            } else if (entity.equals(serverName)) {
                return; // BLK-1: the server acting on behalf of users is never blocked
            }
            if (requester.isAppService() && !trackAppserviceUserIps) {
                return; // BLK-2
            }
        }
        if (userId != null && userId.equals(blocking.serverNoticesMxid())) {
            return; // BLK-3
        }
        if (!blocking.hsDisabled() && !mau.limitUsageByMau()) {
            return; // nothing can block
        }
        // A counted user passes the MAU limit and is no support user (those are never counted):
        // answering from the cached MAU entry first keeps the usual request free of database I/O.
        if (!blocking.hsDisabled() && userId != null && monthlyActiveUsers.isCounted(userId)) {
            return;
        }
        if (userId != null && isSupportUser(userId)) {
            return; // BLK-3
        }
        if (blocking.hsDisabled()) {
            throw resourceLimitExceeded(blocking.hsDisabledMessage(), "hs_disabled"); // BLK-4
        }
        if (userId != null) {
            if (monthlyActiveUsers.isTrialUser(userId)) {
                return; // BLK-5 (the already-counted case was answered above)
            }
        } else if (threepid != null) {
            if (isReserved(threepid)) {
                return; // BLK-5
            }
        } else if (UserRecord.SUPPORT.equals(userType)) {
            return; // BLK-5; bots (BLK-6) and everyone else go on to the count
        }
        if (monthlyActiveUsers.count() >= mau.maxMauValue()) {
            throw resourceLimitExceeded("Monthly Active User Limit Exceeded", "monthly_active_user"); // BLK-5
        }
    }

    private boolean isSupportUser(String userId) {
        return users.findUser(userId).filter(UserRecord::isSupport).isPresent();
    }

    /** MAU-3: emails compared lower-cased. */
    private boolean isReserved(Threepid threepid) {
        Threepid wanted = threepid.normalised();
        return mau.reservedThreepids().stream().map(Threepid::normalised).anyMatch(wanted::equals);
    }

    private MatrixException resourceLimitExceeded(String error, String limitType) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("admin_contact", blocking.adminContact());
        fields.put("limit_type", limitType);
        return new MatrixException(403, Errcode.M_RESOURCE_LIMIT_EXCEEDED, error, fields);
    }
}
