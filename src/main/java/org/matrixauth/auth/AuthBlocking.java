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

    /** BLK-1, BLK-2: the requester's entity decides who is checked, if anyone. */
    @Override
    public void check(Requester requester) {
        if (requester.isAppService() && !trackAppserviceUserIps) {
            return; // BLK-2
        }
        String entity = requester.authenticatedEntity();
        if (entity.startsWith("@")) {
            checkUser(entity); // BLK-1: for a puppet token, the admin who owns it
        } else if (!entity.equals(serverName)) { // BLK-1: the server acting on behalf of users is never blocked
            checkNewUser();
        }
    }

    @Override
    public void checkUser(String userId) {
        if (userId.equals(blocking.serverNoticesMxid()) || !canBlock()) {
            return; // BLK-3
        }
        // A counted user passes the MAU limit and is no support user (those are never counted):
        // answering from the cached MAU entry first keeps the usual request free of database I/O.
        if (!blocking.hsDisabled() && monthlyActiveUsers.isCounted(userId)) {
            return;
        }
        if (isSupportUser(userId)) {
            return; // BLK-3
        }
        refuseWhileDisabled();
        if (!monthlyActiveUsers.isTrialUser(userId)) { // BLK-5 (the already-counted case was answered above)
            refuseOverLimit();
        }
    }

    @Override
    public void checkNewAccessToken(String userId, boolean appserviceGhost) {
        if (!appserviceGhost || trackAppserviceUserIps) {
            checkUser(userId);
        }
    }

    @Override
    public void checkThreepid(Threepid threepid) {
        if (canBlock()) {
            refuseWhileDisabled();
            if (!isReserved(threepid)) { // BLK-5
                refuseOverLimit();
            }
        }
    }

    @Override
    public void checkUserType(String userType) {
        if (canBlock()) {
            refuseWhileDisabled();
            if (!UserRecord.SUPPORT.equals(userType)) { // BLK-5; bots (BLK-6) and everyone else are counted
                refuseOverLimit();
            }
        }
    }

    @Override
    public void checkNewUser() {
        if (canBlock()) {
            refuseWhileDisabled();
            refuseOverLimit();
        }
    }

    private boolean canBlock() {
        return blocking.hsDisabled() || mau.limitUsageByMau();
    }

    /** BLK-4. @throws MatrixException 403 {@code M_RESOURCE_LIMIT_EXCEEDED} */
    private void refuseWhileDisabled() {
        if (blocking.hsDisabled()) {
            throw resourceLimitExceeded(blocking.hsDisabledMessage(), "hs_disabled");
        }
    }

    /** BLK-5. @throws MatrixException 403 {@code M_RESOURCE_LIMIT_EXCEEDED} */
    private void refuseOverLimit() {
        if (monthlyActiveUsers.count() >= mau.maxMauValue()) {
            throw resourceLimitExceeded("Monthly Active User Limit Exceeded", "monthly_active_user");
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
