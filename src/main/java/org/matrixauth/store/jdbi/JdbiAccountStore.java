package org.matrixauth.store.jdbi;

import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.matrixauth.store.AccountStore;

/**
 * {@link AccountStore} over Synapse's {@code access_tokens}, {@code refresh_tokens}, {@code devices}
 * and {@code users}, each change published where no trigger does ({@link ChangePublisher}).
 */
final class JdbiAccountStore implements AccountStore {
    private final Jdbi jdbi;
    private final ChangePublisher changes;

    JdbiAccountStore(Jdbi jdbi, ChangePublisher changes) {
        this.jdbi = jdbi;
        this.changes = changes;
    }

    @Override
    public long deleteToken(String token) {
        return jdbi.inTransaction(h -> {
            long id = h.createQuery("SELECT id FROM access_tokens WHERE token = :token").bind("token", token)
                    .mapTo(Long.class).findOne().orElse(-1L);
            h.createUpdate("DELETE FROM access_tokens WHERE id = :id").bind("id", id).execute();
            changes.publishToken(h, id);
            return id;
        });
    }

    @Override
    public void deleteTokenById(long tokenId) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM access_tokens WHERE id = :id").bind("id", tokenId).execute();
            changes.publishToken(h, tokenId);
        });
    }

    @Override
    public void deleteDevice(String userId, String deviceId) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM access_tokens WHERE user_id = :user AND device_id = :device")
                    .bind("user", userId).bind("device", deviceId).execute();
            // RFT-7: as Synapse's user_delete_access_tokens, the refresh tokens go with the access tokens.
            h.createUpdate("DELETE FROM refresh_tokens WHERE user_id = :user AND device_id = :device")
                    .bind("user", userId).bind("device", deviceId).execute();
            h.createUpdate("DELETE FROM devices WHERE user_id = :user AND device_id = :device")
                    .bind("user", userId).bind("device", deviceId).execute();
            changes.publish(h, "devices", Map.of("user_id", userId, "device_id", deviceId));
        });
    }

    @Override
    public void deleteTokensAndDevices(String userId) {
        jdbi.useTransaction(h -> deleteTokensAndDevices(h, userId));
    }

    private void deleteTokensAndDevices(Handle h, String userId) {
        h.createUpdate("DELETE FROM access_tokens WHERE user_id = :user").bind("user", userId).execute();
        h.createUpdate("DELETE FROM refresh_tokens WHERE user_id = :user").bind("user", userId).execute(); // RFT-7
        h.createUpdate("DELETE FROM devices WHERE user_id = :user").bind("user", userId).execute();
        changes.publishUser(h, userId);
    }

    @Override
    public void setLocked(String userId, boolean locked) {
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE users SET locked = :locked WHERE name = :user")
                    .bind("locked", locked).bind("user", userId).execute();
            changes.publishUser(h, userId);
        });
    }

    @Override
    public void setShadowBanned(String userId, boolean shadowBanned) {
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE users SET shadow_banned = :banned WHERE name = :user")
                    .bind("banned", shadowBanned).bind("user", userId).execute();
            changes.publishUser(h, userId);
        });
    }

    @Override
    public void setAdmin(String userId, boolean admin) {
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE users SET admin = :admin WHERE name = :user")
                    .bind("admin", admin ? 1 : 0).bind("user", userId).execute();
            changes.publishUser(h, userId);
        });
    }

    @Override
    public void setUserType(String userId, String userType) {
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE users SET user_type = :type WHERE name = :user")
                    .bind("type", userType).bind("user", userId).execute();
            changes.publishUser(h, userId);
        });
    }

    @Override
    public void deactivate(String userId) {
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE users SET deactivated = 1 WHERE name = :user").bind("user", userId).execute();
            deleteTokensAndDevices(h, userId); // publishes the user
        });
    }

    @Override
    public void reactivate(String userId) {
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE users SET deactivated = 0 WHERE name = :user").bind("user", userId).execute();
            changes.publishUser(h, userId);
        });
    }
}
