package org.matrixauth.example;

import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Inserts that several example nodes on one database may race for the same unique key (a token
 * id, a guest's number, a device, a profile, a threepid's address): the database lets one win, and the loser computes its key
 * afresh and tries again. This needs nothing created in the database, so it works on one that
 * Synapse manages as well as on the filter's own.
 */
final class UniqueKeyRaces {
    /** SQLState of a unique-key violation, on PostgreSQL and H2 alike. */
    private static final String UNIQUE_VIOLATION = "23505";
    /** Every lost race means another insert won, so this many losses in a row is no race any more. */
    private static final int ATTEMPTS = 100;

    private UniqueKeyRaces() {}

    /** @param insert computes its key and inserts; run again for as long as it loses a race */
    static <T> T retry(Supplier<T> insert) {
        for (int attempt = 1; ; attempt++) {
            try {
                return insert.get();
            } catch (RuntimeException e) {
                if (!isLostRace(e) || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    static boolean isLostRace(RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
