package org.matrixauth.example;

import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Update;

/**
 * Synapse's {@code profiles} table: display names and avatars, the homeserver's own data
 * (authentication never reads it). A row is keyed by the localpart, as in every Synapse version;
 * {@code full_user_id}, which later versions add (not null) and read by, is written where the
 * table has it. A profile is made with its user, as Synapse's registration makes it.
 */
final class Profiles {
    /** A user's profile; either may be null (unset). */
    record Profile(String displayName, String avatarUrl) {}

    private final Jdbi jdbi;
    private final boolean hasFullUserId;

    Profiles(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.hasFullUserId = SchemaProbe.hasColumn(jdbi, "profiles", "full_user_id");
    }

    /** The new user's profile, in the transaction that makes the user. */
    void create(Handle h, String userId, String displayName) {
        set(h, userId, "displayname", displayName);
    }

    /** Empty for a user without a profile row (Synapse: both fields null). */
    Optional<Profile> find(String userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT displayname, avatar_url FROM profiles WHERE user_id = :localpart")
                .bind("localpart", localpart(userId))
                .map((rs, ctx) -> new Profile(rs.getString("displayname"), rs.getString("avatar_url")))
                .findOne());
    }

    /** @param displayName null to remove it */
    void setDisplayName(String userId, String displayName) {
        UniqueKeyRaces.retry(() -> jdbi.inTransaction(h -> set(h, userId, "displayname", displayName)));
    }

    /** @param avatarUrl null to remove it */
    void setAvatarUrl(String userId, String avatarUrl) {
        UniqueKeyRaces.retry(() -> jdbi.inTransaction(h -> set(h, userId, "avatar_url", avatarUrl)));
    }

    /** Synapse's {@code create_profile}: a blank profile unless there is one (reactivation, after an erasure). */
    void ensure(String userId) {
        UniqueKeyRaces.retry(() -> jdbi.inTransaction(h -> {
            boolean exists = h.createQuery("SELECT COUNT(*) FROM profiles WHERE user_id = :localpart")
                    .bind("localpart", localpart(userId)).mapTo(Integer.class).one() > 0;
            return exists || insert(h, userId, "displayname", null);
        }));
    }

    /** An erased user's profile goes (Synapse's {@code delete_profile_upon_deactivation}). */
    void delete(String userId) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM profiles WHERE user_id = :localpart")
                .bind("localpart", localpart(userId)).execute());
    }

    /**
     * The row's field, the row made if there is none; a row made meanwhile by another request
     * makes the insert lose a race, and the caller's retry then finds it.
     *
     * @param field a column name of this class's own, never input
     */
    private boolean set(Handle h, String userId, String field, String value) {
        int updated = h.createUpdate("UPDATE profiles SET " + field + " = :value WHERE user_id = :localpart")
                .bind("value", value).bind("localpart", localpart(userId)).execute();
        return updated > 0 || insert(h, userId, field, value);
    }

    private boolean insert(Handle h, String userId, String field, String value) {
        String columns = "user_id, " + field + (hasFullUserId ? ", full_user_id" : "");
        String values = ":localpart, :value" + (hasFullUserId ? ", :userId" : "");
        Update insert = h.createUpdate("INSERT INTO profiles (" + columns + ") VALUES (" + values + ")")
                .bind("localpart", localpart(userId)).bind("value", value);
        if (hasFullUserId) {
            insert.bind("userId", userId);
        }
        insert.execute();
        return true;
    }

    /** As Synapse splits a user id: up to the first colon. */
    private static String localpart(String userId) {
        return userId.substring(1, userId.indexOf(':'));
    }
}
