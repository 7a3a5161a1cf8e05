package org.matrixauth.testing;

import org.jdbi.v3.core.Jdbi;

/**
 * Writes rows the way Synapse does (creation_ts in seconds, smallint flags), so tests set up
 * the database a real homeserver would leave behind.
 */
public final class SynapseRows {
    private final Jdbi jdbi;

    public SynapseRows(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public SynapseRows user(String userId) {
        return user(userId, false, false);
    }

    public SynapseRows user(String userId, boolean admin, boolean guest) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO users (name, password_hash, creation_ts, admin, is_guest, deactivated)"
                        + " VALUES (:name, NULL, :ts, :admin, :guest, 0)")
                .bind("name", userId)
                .bind("ts", System.currentTimeMillis() / 1000)
                .bind("admin", admin ? 1 : 0)
                .bind("guest", guest ? 1 : 0)
                .execute());
        return this;
    }

    /** A user with the columns MAU rules read: registration time (in seconds), type, appservice. */
    public SynapseRows user(String userId, long creationTsSeconds, String userType, String appserviceId) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO users (name, creation_ts, admin, is_guest, deactivated, user_type,"
                        + " appservice_id) VALUES (:name, :ts, 0, 0, 0, :type, :appservice)")
                .bind("name", userId)
                .bind("ts", creationTsSeconds)
                .bind("type", userType)
                .bind("appservice", appserviceId)
                .execute());
        return this;
    }

    public SynapseRows threepid(String userId, String medium, String address) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO user_threepids (user_id, medium, address, validated_at, added_at)"
                        + " VALUES (:user, :medium, :address, 0, 0)")
                .bind("user", userId)
                .bind("medium", medium)
                .bind("address", address)
                .execute());
        return this;
    }

    public SynapseRows lockUser(String userId) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE users SET locked = TRUE WHERE name = :name").bind("name", userId).execute());
        return this;
    }

    public SynapseRows shadowBan(String userId) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE users SET shadow_banned = TRUE WHERE name = :name").bind("name", userId).execute());
        return this;
    }

    public long token(String userId, String token, String deviceId) {
        return token(userId, token, deviceId, null, null);
    }

    /** @return the new row's id, which (as in Synapse) the writer picks: one past the largest */
    public long token(String ownerId, String token, String deviceId, String puppetsUserId, Long validUntilMs) {
        long id = jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM access_tokens").mapTo(Long.class).one());
        return token(id, ownerId, token, deviceId, puppetsUserId, validUntilMs);
    }

    public long token(long id, String ownerId, String token, String deviceId, String puppetsUserId, Long validUntilMs) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO access_tokens (id, user_id, device_id, token, valid_until_ms,"
                        + " puppets_user_id, used) VALUES (:id, :owner, :device, :token, :validUntil, :puppets, FALSE)")
                .bind("id", id)
                .bind("owner", ownerId)
                .bind("device", deviceId)
                .bind("token", token)
                .bind("validUntil", validUntilMs)
                .bind("puppets", puppetsUserId)
                .execute());
        return id;
    }

    public SynapseRows device(String userId, String deviceId) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO devices (user_id, device_id, display_name, hidden)"
                        + " VALUES (:user, :device, NULL, FALSE)")
                .bind("user", userId)
                .bind("device", deviceId)
                .execute());
        return this;
    }

    /** The user counted as monthly active, last seen at that time. */
    public SynapseRows monthlyActive(String userId, long timestampMs) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO monthly_active_users (user_id, \"timestamp\") VALUES (:user, :ts)")
                .bind("user", userId)
                .bind("ts", timestampMs)
                .execute());
        return this;
    }

    public SynapseRows accountValidity(String userId, long expirationTsMs) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO account_validity (user_id, expiration_ts_ms, email_sent)"
                        + " VALUES (:user, :ts, FALSE)")
                .bind("user", userId)
                .bind("ts", expirationTsMs)
                .execute());
        return this;
    }

    /** Every token marked used (TOK-6), as after its first request: requests with them then write nothing. */
    public SynapseRows allTokensUsed() {
        jdbi.useHandle(h -> h.execute("UPDATE access_tokens SET used = TRUE"));
        return this;
    }

    public boolean tokenUsed(String token) {
        return jdbi.withHandle(h -> h.createQuery("SELECT used FROM access_tokens WHERE token = :token")
                .bind("token", token)
                .mapTo(Boolean.class)
                .one());
    }
}
