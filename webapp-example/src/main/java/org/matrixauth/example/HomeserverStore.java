package org.matrixauth.example;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The example homeserver's own writes to Synapse's tables (users with their profiles, tokens),
 * shaped the way Synapse writes them. Authentication itself never comes here: it reads through
 * the filter's stores.
 */
final class HomeserverStore {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private final Jdbi jdbi;
    private final Profiles profiles;

    HomeserverStore(Jdbi jdbi, Profiles profiles) {
        this.jdbi = jdbi;
        this.profiles = profiles;
    }

    boolean userExists(String userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users WHERE name = :name").bind("name", userId)
                .mapTo(Integer.class).one()) > 0;
    }

    /** Synapse's {@code get_users_by_id_case_insensitive}: whether the id is taken in any case. */
    boolean userExistsIgnoringCase(String userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users WHERE LOWER(name) = LOWER(:name)")
                .bind("name", userId).mapTo(Integer.class).one()) > 0;
    }

    /** A new user with Synapse's default display name, the localpart. */
    void createUser(String userId, String passwordHash, boolean admin, boolean guest, String userType, String appserviceId) {
        createUser(userId, passwordHash, admin, guest, userType, appserviceId, userId.substring(1, userId.indexOf(':')));
    }

    /**
     * creation_ts in seconds, flags as smallints, and a profile: as Synapse's registration writes a
     * new user.
     */
    void createUser(String userId, String passwordHash, boolean admin, boolean guest, String userType, String appserviceId,
                    String displayName) {
        jdbi.useTransaction(h -> {
            h.createUpdate("INSERT INTO users (name, password_hash, creation_ts, admin, is_guest,"
                            + " appservice_id, user_type, deactivated, shadow_banned)"
                            + " VALUES (:name, :hash, :ts, :admin, :guest, :appservice, :type, 0, FALSE)")
                    .bind("name", userId)
                    .bind("hash", passwordHash)
                    .bind("ts", System.currentTimeMillis() / 1000)
                    .bind("admin", admin ? 1 : 0)
                    .bind("guest", guest ? 1 : 0)
                    .bind("appservice", appserviceId)
                    .bind("type", userType)
                    .execute();
            profiles.create(h, userId, displayName);
        });
    }

    Optional<String> passwordHash(String userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT password_hash FROM users WHERE name = :name").bind("name", userId)
                .mapTo(String.class).findOne());
    }

    void setPasswordHash(String userId, String hash) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE users SET password_hash = :hash WHERE name = :name")
                .bind("hash", hash).bind("name", userId).execute());
    }

    /** Synapse's device ids: ten capital letters. */
    String newDeviceId() {
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            id.append(UPPER.charAt(RANDOM.nextInt(UPPER.length())));
        }
        return id.toString();
    }

    /**
     * The token's id is the largest so far plus one, taken by the database in the insert itself,
     * so that several nodes on one database never hand out the same one (one wins a race, the
     * other takes the next). That is the id Synapse itself would give next: its in-memory counter
     * starts from {@code MAX(id)}, so a Synapse started on this database carries on after it.
     */
    void insertToken(String ownerId, String token, String deviceId, Long validUntilMs, String puppetsUserId) {
        UniqueKeyRaces.retry(() -> jdbi.withHandle(h -> h.createUpdate("INSERT INTO access_tokens (id, user_id, device_id,"
                        + " token, valid_until_ms, puppets_user_id, used) SELECT COALESCE(MAX(id), 0) + 1, :owner, :device,"
                        + " :token, :validUntil, :puppets, FALSE FROM access_tokens")
                .bind("owner", ownerId)
                .bind("device", deviceId)
                .bind("token", token)
                .bind("validUntil", validUntilMs)
                .bind("puppets", puppetsUserId)
                .execute()));
    }

    /** A new guest under the first free number; a number another node took meanwhile is skipped. */
    String createGuest(String serverName) {
        return UniqueKeyRaces.retry(() -> {
            String userId = "@" + newGuestLocalpart() + ":" + serverName;
            createUser(userId, null, false, true, null, null);
            return userId;
        });
    }

    /** Synapse numbers guests: the first free number. */
    private String newGuestLocalpart() {
        long next = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users").mapTo(Long.class).one()) + 1;
        while (true) {
            String candidate = Long.toString(next);
            if (jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users WHERE name LIKE :prefix")
                    .bind("prefix", "@" + candidate + ":%").mapTo(Integer.class).one()) == 0) {
                return candidate;
            }
            next++;
        }
    }

    /** The admin API's view of a user. */
    Map<String, Object> describe(String userId) {
        return jdbi.withHandle(h -> {
            Map<String, Object> user = new LinkedHashMap<>(h.createQuery("SELECT name, is_guest, admin, deactivated,"
                            + " shadow_banned, user_type, appservice_id, creation_ts FROM users WHERE name = :name")
                    .bind("name", userId).mapToMap().one());
            user.put("is_guest", toBoolean(user.get("is_guest")));
            user.put("admin", toBoolean(user.get("admin")));
            user.put("deactivated", toBoolean(user.get("deactivated")));
            user.put("shadow_banned", toBoolean(user.get("shadow_banned")));
            user.put("threepids", h.createQuery("SELECT medium, address, added_at, validated_at FROM user_threepids"
                    + " WHERE user_id = :user ORDER BY medium, address").bind("user", userId).mapToMap().list());
            return user;
        });
    }

    private static boolean toBoolean(Object value) {
        return value instanceof Boolean b ? b : value instanceof Number n && n.intValue() != 0;
    }
}
