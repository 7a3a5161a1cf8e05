package org.matrixauth.testing;

import org.matrixauth.MatrixAuthInternals;
import org.matrixauth.MatrixAuth;

/** On PostgreSQL the change listener connects in the background; tests that count on it wait for it. */
public final class ListenerWait {
    private ListenerWait() {}

    public static void untilListening(MatrixAuth auth, DatabaseExtension database) throws InterruptedException {
        if (database.isPostgres()) {
            untilListening(auth);
        }
    }

    /** For a node on PostgreSQL, where there is a listener to wait for. */
    public static void untilListening(MatrixAuth auth) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!MatrixAuthInternals.caches(auth).notified()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the change listener did not connect");
            }
            Thread.sleep(10);
        }
    }

    public static void untilLost(MatrixAuth auth) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (MatrixAuthInternals.caches(auth).notified()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the change listener did not notice it lost its connection");
            }
            Thread.sleep(5);
        }
    }
}
