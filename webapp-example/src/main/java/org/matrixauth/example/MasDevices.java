package org.matrixauth.example;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.matrixauth.error.Errcode;
import org.matrixauth.error.MatrixException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devices half of the provisioning API MAS calls ({@code /_synapse/mas/*}), as Synapse's
 * rest/synapse/mas/devices.py answers it. MAS makes a device for each session it opens and deletes
 * it when the session ends; the deletion goes through the library, which revokes the device's
 * tokens and its cached introspections at once on every node (OAU-8, CACHE-3).
 */
final class MasDevices {
    /** Synapse's MAX_DEVICE_DISPLAY_NAME_LEN. */
    static final int MAX_DISPLAY_NAME_LENGTH = 100;
    /**
     * Synapse's limit at login. It sets none here, but a longer id would not fit PostgreSQL's
     * index on devices, and a database refusal must not be a 500.
     */
    static final int MAX_DEVICE_ID_LENGTH = 512;
    private static final Logger LOG = LoggerFactory.getLogger(MasDevices.class);

    private MasDevices() {}

    /** A body naming a user's device and its (new) name, checked in Synapse's order: the body, the user, the name. */
    private record Naming(String userId, String deviceId, String displayName) {
        static Naming read(HttpServletRequest request, Homeserver homeserver, boolean nameRequired) throws IOException {
            MasBody body = MasBody.read(request);
            String localpart = body.string("localpart");
            String deviceId = body.string("device_id");
            String displayName = nameRequired ? body.string("display_name") : body.optionalString("display_name");
            body.validate();
            String userId = MasUsers.existingUser(homeserver, localpart);
            if (displayName != null && displayName.codePointCount(0, displayName.length()) > MAX_DISPLAY_NAME_LENGTH) {
                throw new MatrixException(400, Errcode.M_TOO_LARGE, "Device display name is too long (max " + MAX_DISPLAY_NAME_LENGTH
                        + ")");
            }
            return new Naming(userId, deviceId, displayName);
        }
    }

    /** {@code POST upsert_device}: 201 when the device was made, 200 when it was there (renamed when a name is given). */
    static void upsertDevice(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver)
            throws IOException {
        Naming device = Naming.read(request, homeserver, false);
        requireDeviceIdLength(device.deviceId());
        if (homeserver.devices.insertIfAbsent(device.userId(), device.deviceId(), device.displayName())) {
            Json.write(response, 201, Map.of());
            return;
        }
        if (homeserver.devices.isHidden(device.userId(), device.deviceId())) {
            throw new MatrixException(400, Errcode.M_FORBIDDEN, "The device ID is in use");
        }
        if (device.displayName() != null) {
            homeserver.devices.rename(device.userId(), device.deviceId(), device.displayName());
        }
        Json.write(response, 200, Map.of());
    }

    /** {@code POST delete_device}: 204 whether or not the device was there. */
    static void deleteDevice(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver)
            throws IOException {
        MasBody body = MasBody.read(request);
        String localpart = body.string("localpart");
        String deviceId = body.string("device_id");
        body.validate();
        homeserver.auth.accounts().deleteDevice(MasUsers.existingUser(homeserver, localpart), deviceId);
        Json.noContent(response);
    }

    /** {@code POST update_device_display_name}: 404 M_NOT_FOUND for a device the user does not have. */
    static void updateDeviceDisplayName(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver)
            throws IOException {
        Naming device = Naming.read(request, homeserver, true);
        if (!homeserver.devices.rename(device.userId(), device.deviceId(), device.displayName())) {
            throw new MatrixException(404, Errcode.M_NOT_FOUND, "Not found");
        }
        Json.write(response, 200, Map.of());
    }

    /**
     * {@code POST sync_devices}: the user's devices become exactly those listed, the dehydrated one
     * apart; the others are deleted (their sessions end), then the missing ones made.
     */
    static void syncDevices(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver)
            throws IOException {
        MasBody body = MasBody.read(request);
        String localpart = body.string("localpart");
        List<String> listed = body.strings("devices");
        body.validate();
        String userId = MasUsers.existingUser(homeserver, localpart);
        listed.forEach(MasDevices::requireDeviceIdLength);
        Set<String> current = homeserver.devices.ids(userId);
        Set<String> target = new HashSet<>(listed);
        Set<String> toDelete = new HashSet<>(current);
        toDelete.removeAll(target);
        Set<String> toAdd = new HashSet<>(target);
        toAdd.removeAll(current);
        if (!toAdd.isEmpty() || !toDelete.isEmpty()) {
            // As Synapse logs it, so that a sync that stops midway can be followed.
            LOG.info("Syncing {} devices for user {} will add {} devices and delete {} devices", target.size(), userId,
                    toAdd.size(), toDelete.size());
        }
        for (String deviceId : toDelete) {
            homeserver.auth.accounts().deleteDevice(userId, deviceId);
        }
        for (String deviceId : toAdd) {
            homeserver.devices.insertIfAbsent(userId, deviceId, null);
        }
        Json.write(response, 200, Map.of());
    }

    private static void requireDeviceIdLength(String deviceId) {
        if (deviceId.codePointCount(0, deviceId.length()) > MAX_DEVICE_ID_LENGTH) {
            throw new MatrixException(400, Errcode.M_INVALID_PARAM, "device_id cannot be longer than " + MAX_DEVICE_ID_LENGTH
                    + " characters.");
        }
    }
}
