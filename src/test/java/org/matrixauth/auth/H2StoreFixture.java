package org.matrixauth.auth;

import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.Mockito.mock;

import java.util.HashSet;
import java.util.Set;
import org.matrixauth.store.DeviceStore;
import org.matrixauth.store.MauStore;
import org.matrixauth.store.TokenLookup;
import org.matrixauth.store.TokenStore;
import org.matrixauth.store.UserStore;
import org.matrixauth.store.jdbi.SynapseDatabase;
import org.matrixauth.testing.H2Databases;
import org.matrixauth.testing.SynapseRows;
import org.matrixauth.tracking.BatchingClientIpRecorder;
import org.matrixauth.tracking.ClientIpRecorder;

/** The seed's scenarios on real rows in a fresh H2 database, read through the real DAOs. */
final class H2StoreFixture implements SeedFixture {
    private final SynapseDatabase database = H2Databases.fresh();
    private final SynapseRows rows = new SynapseRows(database.jdbi());
    private final TokenStore tokens = mock(TokenStore.class, delegatesTo(database.tokens()));
    private final UserStore users = mock(UserStore.class, delegatesTo(database.users()));
    private final DeviceStore devices = mock(DeviceStore.class, delegatesTo(database.devices()));
    private final MauStore monthlyActiveUsers = mock(MauStore.class, delegatesTo(database.monthlyActiveUsers()));
    private final BatchingClientIpRecorder realClientIps = new BatchingClientIpRecorder(database.clientIps(), 1000);
    private final ClientIpRecorder clientIps = mock(ClientIpRecorder.class, delegatesTo(realClientIps));
    private final Set<String> usersWritten = new HashSet<>();

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

    /** Replaces the table's rows with this many users'. */
    @Override
    public void givenMonthlyActiveCount(int count) {
        database.jdbi().useHandle(h -> h.execute("DELETE FROM monthly_active_users"));
        for (int i = 0; i < count; i++) {
            database.monthlyActiveUsers().upsert("@mau" + i + ":test", System.currentTimeMillis());
        }
    }

    @Override
    public void givenToken(String token, TokenLookup lookup) {
        givenUser(lookup.userId(), lookup.isGuest());
        givenUser(lookup.tokenOwner(), false);
        long id = lookup.tokenId() != null ? lookup.tokenId() : 1;
        rows.token(id, lookup.tokenOwner(), token, lookup.deviceId(),
                lookup.isPuppet() ? lookup.userId() : null, lookup.validUntilMs());
    }

    @Override
    public void givenUser(String userId, boolean isGuest) {
        if (usersWritten.add(userId)) {
            rows.user(userId, false, isGuest);
        }
    }

    @Override
    public void givenDevice(String userId, String deviceId) {
        rows.device(userId, deviceId);
    }

    @Override
    public void close() throws Exception {
        realClientIps.close();
        database.close();
    }
}
