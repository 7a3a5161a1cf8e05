package org.matrixauth.store.jdbi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.matrixauth.store.AccountStore;

/**
 * {@link AccountStore} over Synapse's {@code access_tokens}, {@code devices} and {@code users}.
 * Beside Synapse without the triggers (CACHE-5), each change also publishes, in its own
 * transaction, what the triggers would have: the other nodes of this library follow Synapse's
 * invalidation stream, which the library does not write to, and learn of its changes this way.
 */
final class JdbiAccountStore implements AccountStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jdbi jdbi;
    private final boolean publishChanges;

    /** @param publishChanges no triggers publish what changes, and other nodes listen */
    JdbiAccountStore(Jdbi jdbi, boolean publishChanges) {
        this.jdbi = jdbi;
        this.publishChanges = publishChanges;
    }

    /** The payloads are the triggers' ({@code V2__change_notifications.sql}): rows by id, never a token. */
    private void publish(Handle h, String table, Map<String, Object> row) {
        if (publishChanges) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("table", table);
            payload.putAll(row);
            h.createQuery("SELECT pg_notify(:channel, :payload)").bind("channel", SynapseDatabase.CHANGE_CHANNEL)
                    .bind("payload", json(payload)).mapTo(String.class).one();
        }
    }

    private static String json(Map<String, Object> payload) {
        try {
            return JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void publishUser(Handle h, String userId) {
        publish(h, "users", Map.of("user_id", userId));
    }

    @Override
    public long deleteToken(String token) {
        return jdbi.inTransaction(h -> {
            long id = h.createQuery("SELECT id FROM access_tokens WHERE token = :token").bind("token", token)
                    .mapTo(Long.class).findOne().orElse(-1L);
            h.createUpdate("DELETE FROM access_tokens WHERE id = :id").bind("id", id).execute();
            publish(h, "access_tokens", Map.of("id", id));
            return id;
        });
    }

    @Override
    public void deleteTokenById(long tokenId) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM access_tokens WHERE id = :id").bind("id", tokenId).execute();
            publish(h, "access_tokens", Map.of("id", tokenId));
        });
    }

    @Override
    public void deleteDevice(String userId, String deviceId) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM access_tokens WHERE user_id = :user AND device_id = :device")
                    .bind("user", userId).bind("device", deviceId).execute();
            h.createUpdate("DELETE FROM devices WHERE user_id = :user AND device_id = :device")
                    .bind("user", userId).bind("device", deviceId).execute();
            publish(h, "devices", Map.of("user_id", userId, "device_id", deviceId));
        });
    }

    @Override
    public void deleteTokensAndDevices(String userId) {
        jdbi.useTransaction(h -> deleteTokensAndDevices(h, userId));
    }

    private void deleteTokensAndDevices(Handle h, String userId) {
        h.createUpdate("DELETE FROM access_tokens WHERE user_id = :user").bind("user", userId).execute();
        h.createUpdate("DELETE FROM devices WHERE user_id = :user").bind("user", userId).execute();
        publishUser(h, userId);
    }

    @Override
    public void setLocked(String userId, boolean locked) {
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE users SET locked = :locked WHERE name = :user")
                    .bind("locked", locked).bind("user", userId).execute();
            publishUser(h, userId);
        });
    }

    @Override
    public void setShadowBanned(String userId, boolean shadowBanned) {
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE users SET shadow_banned = :banned WHERE name = :user")
                    .bind("banned", shadowBanned).bind("user", userId).execute();
            publishUser(h, userId);
        });
    }

    @Override
    public void setAdmin(String userId, boolean admin) {
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE users SET admin = :admin WHERE name = :user")
                    .bind("admin", admin ? 1 : 0).bind("user", userId).execute();
            publishUser(h, userId);
        });
    }

    @Override
    public void setUserType(String userId, String userType) {
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE users SET user_type = :type WHERE name = :user")
                    .bind("type", userType).bind("user", userId).execute();
            publishUser(h, userId);
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
            publishUser(h, userId);
        });
    }
}
