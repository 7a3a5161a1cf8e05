package org.matrixauth.auth;

import org.matrixauth.store.DeviceStore;
import org.matrixauth.store.MauStore;
import org.matrixauth.store.TokenLookup;
import org.matrixauth.store.TokenStore;
import org.matrixauth.store.UserStore;
import org.matrixauth.tracking.ClientIpRecorder;

/**
 * The state the seed's tests give Synapse's store, set up either on Mockito mocks (as the seed
 * does) or as real rows in H2. The stores are Mockito mocks in both cases (on H2 they delegate
 * to the real JDBI DAOs), so a test can also verify which lookups were made.
 */
interface SeedFixture extends AutoCloseable {
    TokenStore tokens();

    UserStore users();

    DeviceStore devices();

    MauStore monthlyActiveUsers();

    /** Synapse's {@code insert_client_ip}. */
    ClientIpRecorder clientIps();

    /** {@code get_monthly_active_count} answers this. */
    void givenMonthlyActiveCount(int count);

    /** The store knows this token and answers the lookup with these values. */
    void givenToken(String token, TokenLookup lookup);

    void givenUser(String userId, boolean isGuest);

    void givenDevice(String userId, String deviceId);

    @Override
    default void close() throws Exception {}
}
