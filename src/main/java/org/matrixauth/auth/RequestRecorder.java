package org.matrixauth.auth;

import java.time.Clock;
import org.matrixauth.tracking.ClientIpRecorder;
import org.matrixauth.tracking.MauRecorder;

/**
 * Synapse's recording of an authenticated request: a client-IP row for each user it records
 * (TRK-1, AS-7), and beside it that user's monthly activity (TRK-6). It lives with the requester
 * it reads (whom to record depends on the token's kind); the recorders it hands rows to know
 * nothing of requests, so {@code tracking} does not depend on {@code auth}.
 */
public final class RequestRecorder {
    /** AS-7: the device recorded for an appservice request that names none. */
    static final String APPSERVICE_DEVICE_ID = "dummy-device";

    private final ClientIpRecorder clientIps;
    private final MauRecorder monthlyActiveUsers;
    private final boolean trackPuppetedUserIps;
    private final boolean trackAppserviceUserIps;
    private final Clock clock;

    public RequestRecorder(ClientIpRecorder clientIps, MauRecorder monthlyActiveUsers,
                           boolean trackPuppetedUserIps, boolean trackAppserviceUserIps, Clock clock) {
        this.clientIps = clientIps;
        this.monthlyActiveUsers = monthlyActiveUsers;
        this.clock = clock;
        this.trackPuppetedUserIps = trackPuppetedUserIps;
        this.trackAppserviceUserIps = trackAppserviceUserIps;
    }

    /**
     * TRK-1: the token owner always, and the puppeted user too when {@code track_puppeted_user_ips}
     * is on; AS-7: an appservice's requests only when {@code track_appservice_user_ips} is on.
     */
    public void record(Requester requester, String token, ClientRequest request) {
        long now = clock.millis(); // one reading for all the records of the request: they are one moment
        if (requester.isAppService()) {
            if (trackAppserviceUserIps) {
                String device = requester.deviceId() != null ? requester.deviceId() : APPSERVICE_DEVICE_ID;
                record(requester.userId(), token, request, device, now);
            }
            return;
        }
        record(requester.authenticatedEntity(), token, request, requester.deviceId(), now);
        if (requester.isPuppeted() && trackPuppetedUserIps) {
            record(requester.userId(), token, request, requester.deviceId(), now);
        }
    }

    /** TRK-6 first, at once, before the client-IP queue's 120 s filter, as Synapse does; neither can fail the request. */
    private void record(String userId, String token, ClientRequest request, String deviceId, long now) {
        monthlyActiveUsers.record(userId, now);
        clientIps.record(userId, token, request.clientIp(), request.userAgent(), deviceId, now);
    }
}
