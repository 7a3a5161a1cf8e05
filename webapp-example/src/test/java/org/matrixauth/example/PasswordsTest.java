package org.matrixauth.example;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Password hashes interchangeable with Synapse's (Python bcrypt over password + pepper). */
class PasswordsTest {
    /**
     * Made with Debian's python3-bcrypt 3.2.2, as Synapse hashes:
     * {@code bcrypt.hashpw(b"correct horse" + b"pepper!", bcrypt.gensalt(12))}.
     */
    static final String SYNAPSE_HASH = "$2b$12$oRk2gk9fgXFSGBQDIE6OduFjb5MZvEOJxqDQmmbRVyCBjURO.kpgu";

    @Test
    void aHashSynapseMadeIsAccepted() {
        Passwords passwords = new Passwords("pepper!", 4);
        assertTrue(passwords.matches("correct horse", SYNAPSE_HASH));
        assertFalse(passwords.matches("correct horse", SYNAPSE_HASH.replace("VyCBj", "VyCBk")));
        assertFalse(new Passwords("", 4).matches("correct horse", SYNAPSE_HASH), "the pepper is part of it");
        assertFalse(passwords.matches("Correct horse", SYNAPSE_HASH));
    }

    @Test
    void ourHashesAreSynapsesFormat() {
        Passwords passwords = new Passwords("", 4);
        String hash = passwords.hash("secret");
        assertTrue(hash.startsWith("$2b$04$"), hash);
        assertTrue(passwords.matches("secret", hash));
        assertFalse(passwords.matches("secret", null));
        assertFalse(passwords.matches("secret", "not a hash"));
    }
}
