package org.matrixauth.auth;

import java.util.Optional;
import org.matrixauth.appservice.AppServiceRegistry;
import org.matrixauth.appservice.ApplicationService;
import org.matrixauth.error.MatrixException;
import org.matrixauth.store.DeviceStore;
import org.matrixauth.store.UserStore;

/** Requests made with an application service's {@code as_token} (SPEC AS-1..6). */
public final class AppServiceAuthenticator {
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

    /** @return the requester, or empty when the token is not an appservice's (AS-1) or not from its IPs (AS-2) */
    public Optional<Requester> authenticate(String token, ClientRequest request) {
        ApplicationService service = registry.findByToken(token);
        if (service == null || !service.acceptsRequestsFrom(request.clientIp())) {
            return Optional.empty();
        }
        String userId = effectiveUser(service, request);
        String deviceId = masqueradedDevice(userId, request);
        // AS-6: no token row, and the entity is the user acted as.
        return Optional.of(new Requester(userId, null, deviceId, false, false, service, userId));
    }

    /** AS-3, AS-4: the sender, or the {@code user_id} it masquerades as. */
    private String effectiveUser(ApplicationService service, ClientRequest request) {
        String userId = request.firstQueryValue(USER_ID_PARAM);
        if (userId == null || userId.equals(service.sender())) {
            return service.sender();
        }
        if (!service.isInterestedInUser(userId)) {
            throw MatrixException.forbidden("Application service cannot masquerade as this user (" + userId + ").");
        }
        if (!canBeStored(userId) || users.findUser(userId).isEmpty()) {
            throw MatrixException.forbidden("Application service has not registered this user (" + userId + ")");
        }
        return userId;
    }

    /**
     * AS-5: the stable {@code device_id} parameter, always on; AS-5b: MSC3202's unstable one, when
     * enabled and the stable one is absent. Each answers with its own errcode for an unknown device.
     */
    private String masqueradedDevice(String userId, ClientRequest request) {
        String deviceId = request.firstQueryValue(DEVICE_ID_PARAM);
        String unknownDeviceErrcode = "M_UNKNOWN_DEVICE";
        if (deviceId == null && msc3202DeviceMasquerading) {
            deviceId = request.firstQueryValue(MSC3202_DEVICE_ID_PARAM);
            unknownDeviceErrcode = "M_EXCLUSIVE";
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
