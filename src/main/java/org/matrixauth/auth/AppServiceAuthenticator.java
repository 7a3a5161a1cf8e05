package org.matrixauth.auth;

import java.util.Optional;
import org.matrixauth.appservice.AppServiceRegistry;
import org.matrixauth.appservice.ApplicationService;
import org.matrixauth.error.Errcode;
import org.matrixauth.error.MatrixException;
import org.matrixauth.account.UserRecord;
import org.matrixauth.store.DeviceStore;
import org.matrixauth.store.UserStore;

/** Requests made with an application service's {@code as_token} (SPEC AS-1..6), checked in memory. */
public final class AppServiceAuthenticator implements TokenAuthenticator {
    static final String USER_ID_PARAM = "user_id";
    static final String DEVICE_ID_PARAM = "device_id";
    static final String MSC3202_DEVICE_ID_PARAM = "org.matrix.msc3202.device_id";

    private final AppServiceRegistry registry;
    private final UserStore users;
    private final DeviceStore devices;
    private final boolean msc3202DeviceMasquerading;

    public AppServiceAuthenticator(
            AppServiceRegistry registry, UserStore users, DeviceStore devices, boolean msc3202DeviceMasquerading) {
        this.registry = registry;
        this.users = users;
        this.devices = devices;
        this.msc3202DeviceMasquerading = msc3202DeviceMasquerading;
    }

    /** Not mine when the token is no appservice's (AS-1) or the request is not from its IPs (AS-2). */
    @Override
    public Optional<Requester> authenticate(String token, ClientRequest request, CostlyCheckLimit limit) {
        ApplicationService service = registry.findByToken(token);
        if (service == null || !service.acceptsRequestsFrom(request.clientIp())) {
            return Optional.empty();
        }
        String masqueraded = request.firstQueryValue(USER_ID_PARAM);
        boolean asSender = masqueraded == null || masqueraded.equals(service.sender());
        String userId = asSender ? service.sender() : masqueraded;
        boolean admin = asSender ? users.isServerAdmin(userId) : registeredUser(service, userId).admin();
        // AS-6: no token row, and the entity is the user acted as.
        return Optional.of(Requester.appService(service, userId)
                .deviceId(masqueradedDevice(userId, request))
                .serverAdmin(admin)
                .build());
    }

    /** AS-4: a user the appservice may act as, and that is registered. */
    private UserRecord registeredUser(ApplicationService service, String userId) {
        if (!service.isInterestedInUser(userId)) {
            throw MatrixException.forbidden("Application service cannot masquerade as this user (" + userId + ").");
        }
        return Optional.of(userId).filter(AppServiceAuthenticator::canBeStored).flatMap(users::findUser)
                .orElseThrow(() -> MatrixException.forbidden(
                        "Application service has not registered this user (" + userId + ")"));
    }

    /**
     * AS-5: the stable {@code device_id} parameter, always on; AS-5b: MSC3202's unstable one, when
     * enabled and the stable one is absent. Each answers with its own errcode for an unknown device.
     */
    private String masqueradedDevice(String userId, ClientRequest request) {
        String deviceId = request.firstQueryValue(DEVICE_ID_PARAM);
        Errcode unknownDeviceErrcode = Errcode.M_UNKNOWN_DEVICE;
        if (deviceId == null && msc3202DeviceMasquerading) {
            deviceId = request.firstQueryValue(MSC3202_DEVICE_ID_PARAM);
            unknownDeviceErrcode = Errcode.M_EXCLUSIVE;
        }
        if (deviceId != null && (!canBeStored(deviceId) || !devices.deviceExists(userId, deviceId))) {
            throw new MatrixException(400, unknownDeviceErrcode,
                    "Application service trying to use a device that doesn't exist.");
        }
        return deviceId;
    }

    /**
     * No stored id holds a NUL: Synapse never writes one and PostgreSQL's text cannot hold one
     * (asking it would fail the query). Such an id names nobody, and the database is not asked.
     */
    private static boolean canBeStored(String id) {
        return id.indexOf('\0') < 0;
    }
}
