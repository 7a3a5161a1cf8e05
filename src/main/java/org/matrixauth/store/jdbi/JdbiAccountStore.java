package org.matrixauth.store.jdbi;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.matrixauth.store.AccountStore;

/** {@link AccountStore} over Synapse's {@code access_tokens}, {@code devices} and {@code users}. */
final class JdbiAccountStore implements AccountStore {
    private final Jdbi jdbi;

    JdbiAccountStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public long deleteToken(String token) {
        return jdbi.inTransaction(h -> {
            long id = h.createQuery("SELECT id FROM access_tokens WHERE token = :token").bind("token", token)
                    .mapTo(Long.class).findOne().orElse(-1L);
            h.createUpdate("DELETE FROM access_tokens WHERE id = :id").bind("id", id).execute();
            return id;
        });
    }

    @Override
    public void deleteTokenById(long tokenId) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM access_tokens WHERE id = :id").bind("id", tokenId).execute());
    }

    @Override
    public void deleteDevice(String userId, String deviceId) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM access_tokens WHERE user_id = :user AND device_id = :device")
                    .bind("user", userId).bind("device", deviceId).execute();
            h.createUpdate("DELETE FROM devices WHERE user_id = :user AND device_id = :device")
                    .bind("user", userId).bind("device", deviceId).execute();
        });
    }

    @Override
    public void deleteTokensAndDevices(String userId) {
        jdbi.useTransaction(h -> deleteTokensAndDevices(h, userId));
    }

    private static void deleteTokensAndDevices(Handle h, String userId) {
        h.createUpdate("DELETE FROM access_tokens WHERE user_id = :user").bind("user", userId).execute();
        h.createUpdate("DELETE FROM devices WHERE user_id = :user").bind("user", userId).execute();
    }

    @Override
    public void setLocked(String userId, boolean locked) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE users SET locked = :locked WHERE name = :user")
                .bind("locked", locked).bind("user", userId).execute());
    }

    @Override
    public void setShadowBanned(String userId, boolean shadowBanned) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE users SET shadow_banned = :banned WHERE name = :user")
                .bind("banned", shadowBanned).bind("user", userId).execute());
    }

    @Override
    public void setAdmin(String userId, boolean admin) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE users SET admin = :admin WHERE name = :user")
                .bind("admin", admin ? 1 : 0).bind("user", userId).execute());
    }

    @Override
    public void setUserType(String userId, String userType) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE users SET user_type = :type WHERE name = :user")
                .bind("type", userType).bind("user", userId).execute());
    }

    @Override
    public void deactivate(String userId) {
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE users SET deactivated = 1 WHERE name = :user").bind("user", userId).execute();
            deleteTokensAndDevices(h, userId);
        });
    }

    @Override
    public void reactivate(String userId) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE users SET deactivated = 0 WHERE name = :user").bind("user", userId).execute());
    }
}
