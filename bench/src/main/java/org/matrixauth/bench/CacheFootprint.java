package org.matrixauth.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.matrixauth.MatrixAuth;
import org.matrixauth.MatrixAuthInternals;
import org.matrixauth.auth.AuthOptions;
import org.matrixauth.auth.ClientRequest;
import org.matrixauth.cache.AuthCaches;
import org.matrixauth.cache.IndexedCache;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.tracking.BatchingClientIpRecorder;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

/**
 * Heap per cache entry: N users with one token each on in-memory H2, every token authenticated
 * once, then each cache's keys and values measured with JOL (their whole object graphs: strings,
 * records; a string two caches share is counted in each). Caffeine's own structure per entry
 * (its node, the hash table's slot, the frequency sketch) is measured apart, on a cache built as
 * the filter builds its caches and filled with N entries whose keys and values cost nothing
 * (the whole cache cannot be walked: it reaches the common thread pool). Run with MAU tracking off and on.
 *
 * <p>Then what else each cached token keeps: the per-subject index of each {@link IndexedCache}
 * (the field {@code index}: subject to the entries that depend on it, which eviction by
 * notification walks), measured as what it adds to the graph of the cache's keys and values; and
 * the client-IP "recently seen" LRU of {@link BatchingClientIpRecorder} (TRK-3: Synapse's fixed
 * 50,000 keys whatever the cache sizes, so with more tokens than that a token has a key there
 * only while it is among the last 50,000 seen), its keys and values standalone and as they add to
 * the caches' graph (the token and user strings are shared), plus Caffeine's structure of a cache
 * bounded by size alone. Bench code reaches these private fields by reflection; nothing in the
 * library changes. The total per cached token adds each part weighted by its entries per token.
 *
 * <pre>java -Xmx4g -cp ... org.matrixauth.bench.CacheFootprint [N]</pre>
 */
public final class CacheFootprint {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        long structure = caffeinePerEntry(n);
        System.out.printf("Caffeine's structure (bounded, expiring, with stats): %,d bytes per entry%n", structure);
        for (boolean mau : new boolean[] {false, true}) {
            System.out.printf("%nMAU tracking %s, %,d tokens of %,d users authenticated once:%n", mau ? "on" : "off", n, n);
            measure(n, mau, structure);
        }
    }

    private static void measure(int n, boolean mau, long structure) throws Exception {
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
            List<Object> everything = new ArrayList<>(); // every cache's keys and values: what the LRU's strings are shared with
            double total = 0;
            Map<Cache<?, ?>, IndexedCache<?, ?>> indexed = indexedCaches(MatrixAuthInternals.caches(auth));
            for (Map.Entry<String, Cache<?, ?>> named : MatrixAuthInternals.namedCaches(auth).entrySet()) {
                Cache<?, ?> cache = named.getValue();
                cache.cleanUp();
                Object[] keys = cache.asMap().keySet().toArray();
                Object[] values = cache.asMap().values().toArray();
                if (keys.length == 0) {
                    continue;
                }
                everything.add(keys);
                everything.add(values);
                // The two arrays are the measurement's own: only what they hold counts.
                long own = GraphLayout.parseInstance(keys, values).totalSize() - VM.current().sizeOf(keys) - VM.current().sizeOf(values);
                long perEntry = own / keys.length;
                IndexedCache<?, ?> withIndex = indexed.get(cache);
                long indexPerEntry = 0;
                if (withIndex != null) {
                    Object index = field(IndexedCache.class, withIndex, "index");
                    indexPerEntry = (GraphLayout.parseInstance(keys, values, index).totalSize()
                            - GraphLayout.parseInstance(keys, values).totalSize()) / keys.length;
                }
                double perToken = (double) keys.length / n;
                total += perToken * (perEntry + structure + indexPerEntry);
                System.out.printf("  %-16s %,9d entries: keys and values %,5d bytes per entry, Caffeine's structure %,4d,"
                        + " subject index %s; %.2f entries per cached token%n", named.getKey(), keys.length, perEntry, structure,
                        withIndex != null ? String.format("%,5d", indexPerEntry) : "  (none)", perToken);
            }
            Cache<?, ?> recentlySeen = (Cache<?, ?>) field(BatchingClientIpRecorder.class, MatrixAuthInternals.clientIps(auth), "recentlySeen");
            recentlySeen.cleanUp();
            Object[] keys = recentlySeen.asMap().keySet().toArray();
            Object[] values = recentlySeen.asMap().values().toArray();
            if (keys.length > 0) {
                long standalone = (GraphLayout.parseInstance(keys, values).totalSize() - VM.current().sizeOf(keys)
                        - VM.current().sizeOf(values)) / keys.length;
                Object[] caches = everything.toArray();
                long added = (GraphLayout.parseInstance(caches, keys, values).totalSize() - GraphLayout.parseInstance(caches).totalSize()
                        - VM.current().sizeOf(keys) - VM.current().sizeOf(values)) / keys.length;
                long lruStructure = sizeBoundPerEntry(Math.min(n, keys.length));
                double perToken = (double) keys.length / n;
                total += perToken * (added + lruStructure);
                System.out.printf("  %-16s %,9d entries: keys and values %,5d bytes per entry standalone, %,5d beside the caches"
                        + " (strings shared), Caffeine's structure (size bound only) %,4d; %.2f entries per cached token%n",
                        "client_ip_lru", keys.length, standalone, added, lruStructure, perToken);
            }
            System.out.printf("  total per cached token (every part above, weighted by its entries per token): %,.0f bytes%n", total);
        }
    }

    /** Each IndexedCache of AuthCaches, by the Caffeine cache its metrics name. */
    private static Map<Cache<?, ?>, IndexedCache<?, ?>> indexedCaches(AuthCaches caches) throws IllegalAccessException {
        Map<Cache<?, ?>, IndexedCache<?, ?>> found = new IdentityHashMap<>();
        for (Field field : AuthCaches.class.getDeclaredFields()) {
            if (field.getType() == IndexedCache.class) {
                field.setAccessible(true);
                IndexedCache<?, ?> cache = (IndexedCache<?, ?>) field.get(caches);
                found.put(cache.caffeine(), cache);
            }
        }
        return found;
    }

    private static Object field(Class<?> type, Object instance, String name) throws ReflectiveOperationException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(instance);
    }

    /** Caffeine's node, slot and sketch for a cache bounded by size alone (the client-IP LRU's kind). */
    private static long sizeBoundPerEntry(int n) {
        Cache<Integer, Long> cache = Caffeine.newBuilder().maximumSize(n).executor(Runnable::run).build();
        Long shared = 0L;
        for (int i = 0; i < n; i++) {
            cache.put(i, shared);
        }
        cache.cleanUp();
        return (GraphLayout.parseInstance(cache).totalSize() - 16L * n) / n; // less the Integer keys
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
