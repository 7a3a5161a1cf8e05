package org.matrixauth.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.matrixauth.MatrixAuth;
import org.matrixauth.MatrixAuthInternals;
import org.matrixauth.auth.AuthOptions;
import org.matrixauth.auth.ClientRequest;
import org.matrixauth.config.AuthConfig;

/**
 * Heap per cached token: N users with one token each on in-memory H2, every token authenticated
 * once (as a request from one address), and the live heap measured after full collections before
 * and after. The difference divided by N is what a cached token costs with everything it leaves
 * behind: its token-cache entry (key, lookup, Caffeine node, eviction indexes), its client-IP
 * "recently seen" key (that LRU stops at 50,000 keys) and, with MAU tracking, the user's
 * monthly-activity entries. Run once with MAU tracking off and once on.
 *
 * <pre>java -Xmx4g -cp ... org.matrixauth.bench.CacheFootprint [N]</pre>
 */
public final class CacheFootprint {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        for (boolean mau : new boolean[] {false, true}) {
            System.out.printf("MAU tracking %s: %,d bytes per cached token (N = %,d)%n", mau ? "on" : "off", perToken(n, mau), n);
        }
    }

    private static long perToken(int n, boolean mau) throws Exception {
        try (MatrixAuth auth = MatrixAuth.builder(AuthConfig.load(Map.of(
                "server_name", "bench",
                "database", "jdbc:h2:mem:footprint-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "limit_usage_by_mau", String.valueOf(mau),
                "max_mau_value", "100000000",
                "auth_cache.max_tokens", String.valueOf(n),
                "auth_cache.max_users", String.valueOf(n),
                "auth_cache.max_mau_users", String.valueOf(n),
                "auth_cache.lifetime_without_notifications", "1h"))).start()) {
            seed(auth, n);
            long before = liveHeap(auth); // the database's rows (H2 in memory) are in both figures

            authenticateAll(auth, n);
            long after = liveHeap(auth);
            return (after - before) / n;
        }
    }

    private static void seed(MatrixAuth auth, int n) {
        MatrixAuthInternals.jdbi(auth).useHandle(h -> {
            PreparedBatch users = h.prepareBatch("INSERT INTO users (name, creation_ts, admin, is_guest, deactivated)"
                    + " VALUES (:name, 1600000000, 0, 0, 0)");
            PreparedBatch tokens = h.prepareBatch("INSERT INTO access_tokens (id, user_id, device_id, token, used)"
                    + " VALUES (:id, :user, :device, :token, TRUE)");
            for (int i = 0; i < n; i++) {
                users.bind("name", Seeder.user(i)).add();
                tokens.bind("id", i + 1).bind("user", Seeder.user(i)).bind("device", "DEV" + i).bind("token", Seeder.token(i)).add();
            }
            users.execute();
            tokens.execute();
        });
    }

    private static void authenticateAll(MatrixAuth auth, int n) {
        for (int i = 0; i < n; i++) {
            auth.authenticate(new ClientRequest(List.of("Bearer " + Seeder.token(i)), Map.of(), "10.0.0.1", "bench"),
                    AuthOptions.STRICT);
        }
    }

    /** The heap still referenced once the queued client IPs are written and every collectable object collected. */
    private static long liveHeap(MatrixAuth auth) throws InterruptedException {
        MatrixAuthInternals.clientIps(auth).flush();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return MEMORY.getHeapMemoryUsage().getUsed();
    }
}
