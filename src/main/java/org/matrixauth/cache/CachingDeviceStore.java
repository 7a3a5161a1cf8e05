package org.matrixauth.cache;

import org.matrixauth.store.DeviceStore;

/** Devices an appservice masquerades with (AS-5), cached once known to exist (CACHE-1). */
public final class CachingDeviceStore implements DeviceStore {
    private final DeviceStore database;
    private final AuthCaches caches;

    public CachingDeviceStore(DeviceStore database, AuthCaches caches) {
        this.database = database;
        this.caches = caches;
    }

    @Override
    public boolean deviceExists(String userId, String deviceId) {
        Boolean exists = caches.devices().get(new AuthCaches.DeviceKey(userId, deviceId),
                key -> database.deviceExists(userId, deviceId) ? Boolean.TRUE : null);
        return exists != null;
    }
}
