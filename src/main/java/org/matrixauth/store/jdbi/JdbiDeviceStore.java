package org.matrixauth.store.jdbi;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.matrixauth.store.DeviceStore;

/** {@link DeviceStore} over Synapse's {@code devices}. */
public interface JdbiDeviceStore extends DeviceStore {

    @Override
    @SqlQuery("SELECT EXISTS (SELECT 1 FROM devices WHERE user_id = :userId AND device_id = :deviceId)")
    boolean deviceExists(@Bind("userId") String userId, @Bind("deviceId") String deviceId);
}
