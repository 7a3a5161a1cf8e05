package org.matrixauth.example;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.charset.StandardCharsets;

/**
 * Password hashes in Synapse's format: bcrypt {@code $2b$} over the password followed by
 * {@code password_config.pepper}, {@code bcrypt_rounds} rounds; so users Synapse created log in
 * here, and the other way round.
 */
final class Passwords {
    private final String pepper;
    private final int rounds;
    private final BCrypt.Hasher hasher;
    private final BCrypt.Verifyer verifyer;

    Passwords(String pepper, int rounds) {
        this.pepper = pepper;
        this.rounds = rounds;
        // Python's bcrypt reads at most 72 bytes of a password; so must these.
        this.hasher = BCrypt.with(BCrypt.Version.VERSION_2B, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2B));
        this.verifyer = BCrypt.verifyer(BCrypt.Version.VERSION_2B, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2B));
    }

    String hash(String password) {
        return hasher.hashToString(rounds, (password + pepper).toCharArray());
    }

    boolean matches(String password, String hash) {
        if (hash == null || hash.isEmpty()) {
            return false;
        }
        try {
            return verifyer.verify((password + pepper).getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8)).verified;
        } catch (IllegalArgumentException e) {
            return false; // not a bcrypt hash
        }
    }
}
