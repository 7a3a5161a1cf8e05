package org.matrixauth.example;

import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Jdbi;
import org.matrixauth.account.Threepid;
import org.matrixauth.error.Errcode;
import org.matrixauth.error.MatrixException;

/**
 * Synapse's {@code user_threepids}: a user's email addresses and phone numbers. The library reads
 * them for the MAU limit's reserved users (MAU-3); the homeserver writes them.
 */
final class Threepids {
    static final String EMAIL = "email";

    private final Jdbi jdbi;

    Threepids(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The admin API's list: the user's threepids become exactly these. */
    void replace(String userId, List<Threepid> threepids) {
        long now = System.currentTimeMillis();
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM user_threepids WHERE user_id = :user").bind("user", userId).execute();
            for (Threepid threepid : threepids) {
                Threepid stored = threepid.normalised();
                h.createUpdate("INSERT INTO user_threepids (user_id, medium, address, validated_at, added_at)"
                                + " VALUES (:user, :medium, :address, :now, :now)")
                        .bind("user", userId).bind("medium", stored.medium()).bind("address", stored.address())
                        .bind("now", now).execute();
            }
        });
    }

    List<String> emails(String userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT address FROM user_threepids WHERE user_id = :user AND medium = :medium")
                .bind("user", userId).bind("medium", EMAIL).mapTo(String.class).list());
    }

    /**
     * Synapse's {@code user_add_threepid}: an upsert on the address, so an address another user had
     * is this user's now. A row another request made meanwhile loses the insert a race; the retry
     * then updates it.
     */
    void add(String userId, Threepid threepid, long validatedAt) {
        long now = System.currentTimeMillis();
        UniqueKeyRaces.retry(() -> jdbi.inTransaction(h -> {
            int updated = h.createUpdate("UPDATE user_threepids SET user_id = :user, validated_at = :validated,"
                            + " added_at = :now WHERE medium = :medium AND address = :address")
                    .bind("user", userId).bind("validated", validatedAt).bind("now", now)
                    .bind("medium", threepid.medium()).bind("address", threepid.address()).execute();
            return updated > 0 || h.createUpdate("INSERT INTO user_threepids (user_id, medium, address, validated_at,"
                            + " added_at) VALUES (:user, :medium, :address, :validated, :now)")
                    .bind("user", userId).bind("medium", threepid.medium()).bind("address", threepid.address())
                    .bind("validated", validatedAt).bind("now", now).execute() > 0;
        }));
    }

    void delete(String userId, Threepid threepid) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM user_threepids WHERE user_id = :user AND medium = :medium"
                        + " AND address = :address")
                .bind("user", userId).bind("medium", threepid.medium()).bind("address", threepid.address()).execute());
    }

    /**
     * Synapse's {@code canonicalise_email}: trimmed, the local part case-folded and the domain
     * lower-cased.
     *
     * @throws MatrixException 400 when it is not one {@code @} between two parts
     */
    static Threepid canonicalEmail(String address) {
        String[] parts = address.strip().split("@", -1);
        if (parts.length != 2) {
            throw new MatrixException(400, Errcode.M_UNKNOWN, "Unable to parse email address");
        }
        return new Threepid(EMAIL, parts[0].toLowerCase(Locale.ROOT) + "@" + parts[1].toLowerCase(Locale.ROOT));
    }

    /** Deactivation removes them all, as Synapse's does. */
    void deleteAll(String userId) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM user_threepids WHERE user_id = :user").bind("user", userId).execute());
    }
}
