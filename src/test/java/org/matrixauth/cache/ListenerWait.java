package org.matrixauth.cache;

import org.matrixauth.MatrixAuthInternals;
import org.matrixauth.MatrixAuth;
import org.matrixauth.testing.DatabaseExtension;

/** On PostgreSQL the change listener connects in the background; tests that count on it wait for it. */
final class ListenerWait {
    private ListenerWait() {}

    static void untilListening(MatrixAuth auth, DatabaseExtension database) throws InterruptedException {
        if (!database.isPostgres()) {
            return;
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (!MatrixAuthInternals.caches(auth).notified()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the change listener did not connect");
            }
            Thread.sleep(10);
        }
    }

    static void untilLost(MatrixAuth auth) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (MatrixAuthInternals.caches(auth).notified()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the change listener did not notice it lost its connection");
            }
            Thread.sleep(5);
        }
    }
}
