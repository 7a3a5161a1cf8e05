package org.matrixauth;

import org.matrixauth.api.PublicApi;
import java.util.Optional;
import org.matrixauth.account.UserRecord;
import org.matrixauth.auth.Requester;
import org.matrixauth.cache.AuthCaches;
import org.matrixauth.store.AccountStore;
import org.matrixauth.store.UserStore;

/**
 * Changes that end or narrow what a token may do, made through the library so that this node's
 * caches drop what they knew at once (SPEC CACHE-2): the next request on this node already sees
 * the change. Other nodes learn of it through PostgreSQL's notifications, or within the cache
 * lifetime without them (CACHE-3). A homeserver's logout, admin API and deactivation call these,
 * and read users as authentication sees them.
 */
@PublicApi
public final class Accounts {
    private final AccountStore store;
    private final UserStore users;
    private final AuthCaches caches;
    private final boolean lockingSupported;

    Accounts(AccountStore store, UserStore users, AuthCaches caches, boolean lockingSupported) {
        this.store = store;
        this.users = users;
        this.caches = caches;
        this.lockingSupported = lockingSupported;
    }

    /** The user's row as authentication reads it (cached); empty for an unknown user. */
    public Optional<UserRecord> user(String userId) {
        return users.findUser(userId);
    }

    /** Logout of one token. */
    public void deleteToken(String token) {
        store.deleteToken(token);
        caches.invalidateToken(token);
    }

    /**
     * {@code POST /logout}, as Synapse does it: a token with a device takes its device (and the
     * device's tokens) with it; one without only itself. Appservice and guest-macaroon requests
     * have no token row, so nothing is deleted.
     */
    public void logOut(Requester requester) {
        if (requester.isAppService() || requester.accessTokenId() == null) {
            return;
        }
        if (requester.deviceId() != null) {
            deleteDevice(requester.authenticatedEntity(), requester.deviceId());
        } else {
            store.deleteTokenById(requester.accessTokenId());
            caches.invalidateToken(requester.accessTokenId());
        }
    }

    /** Logout of a device: the device and its tokens. */
    public void deleteDevice(String userId, String deviceId) {
        store.deleteDevice(userId, deviceId);
        caches.invalidateDevice(userId, deviceId);
    }

    /** Logout everywhere: every token issued to the user, and their devices. */
    public void logOutEverywhere(String userId) {
        store.deleteTokensAndDevices(userId);
        caches.invalidateUser(userId);
    }

    /** TOK-7: false on a database Synapse made before 1.91, which has no {@code users.locked}. */
    public boolean lockingSupported() {
        return lockingSupported;
    }

    /** TOK-7. @throws IllegalStateException on a Synapse database without {@code users.locked} */
    public void setLocked(String userId, boolean locked) {
        if (!lockingSupported) {
            throw new IllegalStateException("this database has no users.locked column");
        }
        store.setLocked(userId, locked);
        caches.invalidateUser(userId);
    }

    public void setShadowBanned(String userId, boolean shadowBanned) {
        store.setShadowBanned(userId, shadowBanned);
        caches.invalidateUser(userId);
    }

    /** REQ-2's server-admin flag. */
    public void setAdmin(String userId, boolean admin) {
        store.setAdmin(userId, admin);
        caches.invalidateUser(userId);
    }

    /** {@code users.user_type}: {@link UserRecord#SUPPORT}, {@code "bot"}, or null for an ordinary user (BLK-3, BLK-6). */
    public void setUserType(String userId, String userType) {
        store.setUserType(userId, userType);
        caches.invalidateUser(userId);
    }

    /** TOK-8: deactivation deletes the user's tokens. */
    public void deactivate(String userId) {
        store.deactivate(userId);
        caches.invalidateUser(userId);
    }

    /**
     * Undoes {@link #deactivate}: the user is active again (Synapse's {@code activate_account}, which
     * MAS's provisioning API calls); their tokens and devices stay gone. Cached records that still
     * say deactivated are dropped, here and, through the notifications, on other nodes.
     */
    public void reactivate(String userId) {
        store.reactivate(userId);
        caches.invalidateUser(userId);
    }
}
