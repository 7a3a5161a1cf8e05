package org.matrixauth.testing;

import java.util.UUID;
import org.matrixauth.store.jdbi.SynapseDatabase;

/** A fresh, private, in-memory H2 database with Synapse's tables, per call. */
public final class H2Databases {
    private H2Databases() {}

    public static String uniqueUrl() {
        return "jdbc:h2:mem:matrix-auth-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    public static SynapseDatabase fresh() {
        return SynapseDatabase.open(uniqueUrl(), 4);
    }
}
