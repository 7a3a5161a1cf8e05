package org.matrixauth.auth;

import org.matrixauth.store.TokenLookup;
import org.matrixauth.token.AccessTokenExtractor;
import org.matrixauth.tracking.ClientIpRecorder;

/**
 * Synapse's {@code Auth.get_user_by_req}: take the token (EXT), then try it as an application
 * service's (AS), then as a user's or a guest's (TOK, MAC), and record the request (TRK-1, AS-7).
 */
public final class RequesterResolver {
    private static final String ACCESS_TOKEN_PARAM = "access_token";
    /** AS-7: the device recorded for an appservice request that names none. */
    static final String APPSERVICE_DEVICE_ID = "dummy-device";

    private final AccessTokenExtractor extractor;
    private final AppServiceAuthenticator appServices;
    private final UserTokenAuthenticator userTokens;
    private final ClientIpRecorder recorder;
    private final boolean trackPuppetedUserIps;
    private final boolean trackAppserviceUserIps;

    public RequesterResolver(
            AccessTokenExtractor extractor,
            AppServiceAuthenticator appServices,
            UserTokenAuthenticator userTokens,
            ClientIpRecorder recorder,
            boolean trackPuppetedUserIps,
            boolean trackAppserviceUserIps) {
        this.extractor = extractor;
        this.appServices = appServices;
        this.userTokens = userTokens;
        this.recorder = recorder;
        this.trackPuppetedUserIps = trackPuppetedUserIps;
        this.trackAppserviceUserIps = trackAppserviceUserIps;
    }

    /** REQ-4: whether the request carries a token at all. */
    public boolean hasAccessToken(ClientRequest request) {
        return extractor.hasAccessToken(request.authorizationHeaders(), request.queryValues(ACCESS_TOKEN_PARAM));
    }

    /** @throws org.matrixauth.error.MatrixException when the request may not proceed */
    public Requester resolve(ClientRequest request, AuthOptions options) {
        String token = extractor.extract(request.authorizationHeaders(), request.queryValues(ACCESS_TOKEN_PARAM));
        Requester appService = appServices.authenticate(token, request).orElse(null);
        if (appService != null) {
            if (trackAppserviceUserIps) { // AS-7
                String device = appService.deviceId() != null ? appService.deviceId() : APPSERVICE_DEVICE_ID;
                recorder.record(appService.userId(), token, request.clientIp(), request.userAgent(), device);
            }
            return appService;
        }
        return userTokens.authenticate(token, options, (t, lookup) -> recordUserToken(t, lookup, request));
    }

    /** TRK-1: the token owner always; the puppeted user too when {@code track_puppeted_user_ips} is on. */
    private void recordUserToken(String token, TokenLookup lookup, ClientRequest request) {
        recorder.record(lookup.tokenOwner(), token, request.clientIp(), request.userAgent(), lookup.deviceId());
        if (lookup.isPuppet() && trackPuppetedUserIps) {
            recorder.record(lookup.userId(), token, request.clientIp(), request.userAgent(), lookup.deviceId());
        }
    }

    public UserTokenAuthenticator userTokens() {
        return userTokens;
    }
}
