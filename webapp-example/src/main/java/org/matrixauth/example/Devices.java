package org.matrixauth.example;

import java.util.HashSet;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Synapse's {@code devices} as the homeserver writes them: made at login or by MAS, renamed, and
 * listed. Deleting one is the library's ({@code Accounts.deleteDevice}), since that revokes its
 * tokens. A hidden row is an id Synapse keeps for something else (a cross-signing key), not a
 * device: never listed, renamed or taken.
 */
final class Devices {
    private final Jdbi jdbi;
    /** A Synapse database has the table; the filter's own has none, and so no dehydrated devices. */
    private final boolean hasDehydratedDevices;

    Devices(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.hasDehydratedDevices = SchemaProbe.hasTable(jdbi, "dehydrated_devices");
    }

    /**
     * Synapse's {@code store_device}: the device unless it exists (its name then stays).
     *
     * @return whether it was made now; a device another request made meanwhile is there, not made
     */
    boolean insertIfAbsent(String userId, String deviceId, String displayName) {
        if (exists(userId, deviceId)) {
            return false;
        }
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO devices (user_id, device_id, display_name, hidden)"
                            + " VALUES (:user, :device, :name, FALSE)")
                    .bind("user", userId).bind("device", deviceId).bind("name", displayName).execute());
            return true;
        } catch (RuntimeException e) {
            if (!UniqueKeyRaces.isLostRace(e)) {
                throw e;
            }
            return false;
        }
    }

    boolean isHidden(String userId, String deviceId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM devices WHERE user_id = :user AND device_id = :device"
                        + " AND hidden").bind("user", userId).bind("device", deviceId).mapTo(Integer.class).one() > 0);
    }

    /** @return false when the user has no such device */
    boolean rename(String userId, String deviceId, String displayName) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE devices SET display_name = :name"
                        + " WHERE user_id = :user AND device_id = :device AND NOT hidden")
                .bind("name", displayName).bind("user", userId).bind("device", deviceId).execute()) > 0;
    }

    /** The user's devices as MAS keeps them in step: not hidden, and not the dehydrated one (MSC3814), which has no session. */
    Set<String> ids(String userId) {
        return jdbi.withHandle(h -> {
            Set<String> ids = new HashSet<>(h.createQuery("SELECT device_id FROM devices WHERE user_id = :user AND NOT hidden")
                    .bind("user", userId).mapTo(String.class).list());
            if (hasDehydratedDevices) {
                ids.removeAll(h.createQuery("SELECT device_id FROM dehydrated_devices WHERE user_id = :user")
                        .bind("user", userId).mapTo(String.class).list());
            }
            return ids;
        });
    }

    private boolean exists(String userId, String deviceId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM devices WHERE user_id = :user AND device_id = :device")
                .bind("user", userId).bind("device", deviceId).mapTo(Integer.class).one() > 0);
    }
}
