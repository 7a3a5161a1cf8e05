package org.matrixauth.auth;

import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.Mockito.mock;

import java.util.HashSet;
import java.util.Set;
import org.matrixauth.store.DeviceStore;
import org.matrixauth.store.TokenLookup;
import org.matrixauth.store.TokenStore;
import org.matrixauth.store.UserStore;
import org.matrixauth.store.jdbi.SynapseDatabase;
import org.matrixauth.testing.H2Databases;
import org.matrixauth.testing.SynapseRows;

/** The seed's scenarios on real rows in a fresh H2 database, read through the real DAOs. */
final class H2StoreFixture implements SeedFixture {
    private final SynapseDatabase database = H2Databases.fresh();
    private final SynapseRows rows = new SynapseRows(database.jdbi());
    private final TokenStore tokens = mock(TokenStore.class, delegatesTo(database.tokens()));
    private final UserStore users = mock(UserStore.class, delegatesTo(database.users()));
    private final DeviceStore devices = mock(DeviceStore.class, delegatesTo(database.devices()));
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
        database.close();
    }
}
