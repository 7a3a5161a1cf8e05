package org.matrixauth.auth;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Optional;
import org.matrixauth.store.DeviceStore;
import org.matrixauth.store.MauStore;
import org.matrixauth.store.TokenLookup;
import org.matrixauth.store.TokenStore;
import org.matrixauth.account.UserRecord;
import org.matrixauth.store.UserStore;
import org.matrixauth.tracking.ClientIpRecorder;

/** The seed's way: the store is a mock that answers what each test tells it to. */
final class MockedStoreFixture implements SeedFixture {
    private final TokenStore tokens = mock(TokenStore.class);
    private final UserStore users = mock(UserStore.class);
    private final DeviceStore devices = mock(DeviceStore.class);
    private final MauStore monthlyActiveUsers = mock(MauStore.class);
    private final ClientIpRecorder clientIps = mock(ClientIpRecorder.class);

    @Override
    public TokenStore tokens() {
        return tokens;
    }

    @Override
    public UserStore users() {
        return users;
    }

    @Override
    public DeviceStore devices() {
        return devices;
    }

    @Override
    public MauStore monthlyActiveUsers() {
        return monthlyActiveUsers;
    }

    @Override
    public ClientIpRecorder clientIps() {
        return clientIps;
    }

    @Override
    public void givenMonthlyActiveCount(int count) {
        when(monthlyActiveUsers.count()).thenReturn(count);
    }

    @Override
    public void givenToken(String token, TokenLookup lookup) {
        when(tokens.findByToken(token)).thenReturn(Optional.of(lookup));
    }

    @Override
    public void givenUser(String userId, boolean isGuest) {
        when(users.findUser(userId)).thenReturn(
                Optional.of(new UserRecord(userId, isGuest, false, false, false, false, null, null, 0)));
    }

    @Override
    public void givenDevice(String userId, String deviceId) {
        when(devices.deviceExists(userId, deviceId)).thenReturn(true);
    }
}
