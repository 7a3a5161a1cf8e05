package org.matrixauth.store;

/** Synapse's {@code devices} table. */
public interface DeviceStore {
    /** AS-5: whether the user has this device. */
    boolean deviceExists(String userId, String deviceId);
}
