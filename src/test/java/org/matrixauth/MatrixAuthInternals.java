package org.matrixauth;

import com.github.benmanes.caffeine.cache.Cache;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.matrixauth.auth.TokenUseMarks;
import org.matrixauth.cache.AuthCaches;
import org.matrixauth.observe.ActingAsAudit;
import org.matrixauth.store.UserStore;
import org.matrixauth.store.jdbi.SynapseDatabase;
import org.matrixauth.tracking.BatchingClientIpRecorder;

/** What tests and benchmarks look at inside a {@link MatrixAuth}: none of it is the library's public API. */
public final class MatrixAuthInternals {
    private MatrixAuthInternals() {}

    public static SynapseDatabase database(MatrixAuth auth) {
        return auth.parts().database;
    }

    public static Jdbi jdbi(MatrixAuth auth) {
        return auth.parts().database.jdbi();
    }

    public static AuthCaches caches(MatrixAuth auth) {
        return auth.parts().caches;
    }

    public static UserStore users(MatrixAuth auth) {
        return auth.parts().users;
    }

    public static BatchingClientIpRecorder clientIps(MatrixAuth auth) {
        return auth.parts().clientIps;
    }

    /** TOK-6's queued marks, which a test writes at once instead of waiting for the background's flush. */
    public static TokenUseMarks tokenUseMarks(MatrixAuth auth) {
        return auth.parts().tokenUseMarks;
    }

    /** OBS-4's audit, whose hourly summary a test runs at once. */
    public static ActingAsAudit actingAsAudit(MatrixAuth auth) {
        return auth.parts().actingAsAudit;
    }

    /** Every cache by the name its metrics carry. */
    public static Map<String, Cache<?, ?>> namedCaches(MatrixAuth auth) {
        return auth.parts().namedCaches();
    }
}
