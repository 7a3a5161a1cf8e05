package org.matrixauth.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.matrixauth.MatrixAuth;
import org.matrixauth.MatrixAuthInternals;
import org.matrixauth.auth.AuthOptions;
import org.matrixauth.auth.ClientRequest;
import org.matrixauth.config.AuthConfig;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

/**
 * Heap per cache entry: N users with one token each on in-memory H2, every token authenticated
 * once, then each cache's keys and values measured with JOL (their whole object graphs: strings,
 * records; a string two caches share is counted in each). Caffeine's own structure per entry
 * (its node, the hash table's slot, the frequency sketch) is measured apart, on a cache built as
 * the filter builds its caches and filled with N entries whose keys and values cost nothing
 * (the whole cache cannot be walked: it reaches the common thread pool). Run with MAU tracking off and on. The client-IP "recently seen" keys (TRK-3) are not in these
 * figures: that LRU is Synapse's fixed 50,000 keys whatever the cache sizes.
 *
 * <pre>java -Xmx4g -cp ... org.matrixauth.bench.CacheFootprint [N]</pre>
 */
public final class CacheFootprint {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        System.out.printf("Caffeine's structure (bounded, expiring, with stats): %,d bytes per entry%n", caffeinePerEntry(n));
        for (boolean mau : new boolean[] {false, true}) {
            System.out.printf("%nMAU tracking %s, %,d tokens of %,d users authenticated once:%n", mau ? "on" : "off", n, n);
            measure(n, mau);
        }
    }

    private static void measure(int n, boolean mau) throws Exception {
        try (MatrixAuth auth = MatrixAuth.builder(AuthConfig.load(Map.of(
                "server_name", "bench",
                "database", "jdbc:h2:mem:footprint-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "limit_usage_by_mau", String.valueOf(mau),
                "max_mau_value", "100000000",
                "auth_cache.max_tokens", String.valueOf(n),
                "auth_cache.max_users", String.valueOf(n),
                "auth_cache.max_mau_users", String.valueOf(n),
                "auth_cache.lifetime_without_notifications", "10m"))).start()) {
            seed(auth, n);
            for (int i = 0; i < n; i++) {
                auth.authentication().authenticate(new ClientRequest(List.of("Bearer " + Seeder.token(i)), Map.of(), "10.0.0.1", "bench"),
                        AuthOptions.STRICT);
            }
            MatrixAuthInternals.namedCaches(auth).forEach((name, cache) -> {
                cache.cleanUp();
                Object[] keys = cache.asMap().keySet().toArray();
                Object[] values = cache.asMap().values().toArray();
                if (keys.length > 0) {
                    // The two arrays are the measurement's own: only what they hold counts.
                    long bytes = GraphLayout.parseInstance(keys, values).totalSize() - VM.current().sizeOf(keys) - VM.current().sizeOf(values);
                    System.out.printf("  %-16s %,9d entries: keys and values %,5d bytes per entry%n", name, keys.length, bytes / keys.length);
                }
            });
        }
    }

    /** N entries of one shared key-less value: what is left is Caffeine's node, table slot and sketch. */
    private static long caffeinePerEntry(int n) {
        Cache<Integer, Boolean> cache = Caffeine.newBuilder().maximumSize(n).expireAfterWrite(Duration.ofMinutes(10))
                .recordStats().executor(Runnable::run).build();
        Integer[] keys = new Integer[n];
        for (int i = 0; i < n; i++) {
            keys[i] = i;
            cache.put(keys[i], Boolean.TRUE);
        }
        cache.cleanUp();
        long withKeys = GraphLayout.parseInstance(cache).totalSize();
        return (withKeys - 16L * n) / n; // less the Integer keys (16 bytes each)
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
}
