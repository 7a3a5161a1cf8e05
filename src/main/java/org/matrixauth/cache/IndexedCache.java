package org.matrixauth.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import com.github.benmanes.caffeine.cache.stats.ConcurrentStatsCounter;
import com.github.benmanes.caffeine.cache.stats.StatsCounter;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A Caffeine cache whose entries are evicted by the {@link Subject}s their values depend on,
 * found through an index (subject → keys) rather than by scanning the values, and which never
 * keeps a value loaded before an eviction that concerned it (CACHE-2, CACHE-3).
 *
 * <p>Why a load cannot outlive an eviction: every eviction first advances the shared
 * {@link LoadEpoch}. A load notes the epoch before it reads the database, indexes its value
 * before the value becomes visible, and once it is in the cache checks the epoch again. If the
 * epoch moved, an eviction ran meanwhile and may have missed the value, so the load takes it out
 * again (the caller still gets it: it was read before the change). If the epoch did not move,
 * the eviction started after the value and its index entries were in place, and removes it. Both
 * ways, nothing read before a change survives the change's eviction.
 *
 * <p>The index holds each key with the very value instance it was indexed for, so that a removal
 * reported late (Caffeine's removal listener runs after the fact) cannot unindex a newer value
 * stored under the same key.
 */
public final class IndexedCache<K, V> implements Evictable {
    /**
     * One hit in this many is told to Caffeine's eviction policy; the others are quiet looks. A
     * told read is queued in Caffeine's read buffer, and every 16 queued reads its upkeep runs on
     * the request thread (the policy's reordering, the expiry timer wheel), the largest part of a
     * cached request's cost otherwise (BENCHMARKS.md). The policy only needs each entry's share of
     * the reads, which a sample keeps (Caffeine's read buffer drops reads under load by design,
     * too): an entry in use is still told about many times a second.
     */
    static final int TOLD_READ_SAMPLE = 16;

    private final Cache<K, V> cache;
    private final Policy<K, V> policy;
    private final BiFunction<? super K, ? super V, ? extends Collection<? extends Subject>> subjects;
    private final LoadEpoch epoch;
    /**
     * Subject → the keys whose values depend on it, each with its value; an inner map is only
     * touched under its subject's bin lock, and is immutable while it holds one key.
     */
    private final ConcurrentMap<Subject, Map<K, V>> index = new ConcurrentHashMap<>();
    /** Caffeine counts misses, loads and evictions into it; {@link #getIfPresent} counts the hits, which Caffeine's map view does not. */
    private final StatsCounter stats = new ConcurrentStatsCounter();

    /**
     * @param builder size and expiry of the cache; its statistics and removal listener are this class's own
     * @param subjects what a value stored under a key depends on
     */
    IndexedCache(Caffeine<Object, Object> builder,
                 BiFunction<? super K, ? super V, ? extends Collection<? extends Subject>> subjects, LoadEpoch epoch) {
        this.subjects = subjects;
        this.epoch = epoch;
        this.cache = builder.recordStats(() -> stats).<K, V>removalListener((key, value, cause) -> {
            if (key != null && value != null) {
                unindex(key, value);
            }
        }).build();
        this.policy = cache.policy();
    }

    /**
     * The cached value, or the loader's; a null from the loader is returned and not cached
     * (CACHE-4). Concurrent misses for one key load once.
     */
    public V get(K key, Function<? super K, ? extends V> loader) {
        V cached = getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        Load<K, V> load = new Load<>(loader, epoch);
        V value = cache.get(key, k -> load.apply(k, this));
        if (load.stored != null && !epoch.unchangedSince(load.startedAt)) {
            cache.asMap().remove(key, load.stored);
        }
        return load.ran ? load.loaded : value;
    }

    /**
     * The cached value, or null. The hit path of every cached request: one look, which counts
     * nothing (the map view's, or a quiet one), so the hit is counted here; a miss is not, since
     * it is counted once by the load that follows it, if any (a lookup is one hit or one miss).
     */
    public V getIfPresent(K key) {
        V cached = ThreadLocalRandom.current().nextInt(TOLD_READ_SAMPLE) == 0
                ? cache.asMap().get(key)
                : policy.getIfPresentQuietly(key);
        if (cached != null) {
            stats.recordHits(1);
        }
        return cached;
    }

    /** Replaces a cached value with one derived from it (nothing when absent); the new value is indexed. */
    public void update(K key, UnaryOperator<V> change) {
        cache.asMap().computeIfPresent(key, (k, old) -> {
            V changed = change.apply(old);
            index(k, changed);
            return changed;
        });
    }

    @Override
    public void evict(Subject subject) {
        Map<K, V> keys = index.remove(subject);
        if (keys != null) {
            // Removed under the subject's lock: no store adds to this map any more.
            cache.invalidateAll(keys.keySet());
        }
    }

    /** One key (the entry's other index entries go with Caffeine's removal notice). */
    public void evictKey(K key) {
        cache.invalidate(key);
    }

    @Override
    public void evictAll() {
        cache.invalidateAll();
    }

    public CacheStats stats() {
        return cache.stats();
    }

    /** The Caffeine cache itself, for metrics (sizes, hit counts). */
    public Cache<K, V> caffeine() {
        return cache;
    }

    /**
     * Most subjects name one key (a token id its token, a device its token), so a subject's first
     * key is held in an immutable one-entry map, a few dozen bytes, and only a second key makes it
     * a HashMap (whose table alone is 80 bytes): the index was the larger part of a cached token's
     * memory otherwise (BENCHMARKS.md, memory per cached token).
     */
    private void index(K key, V value) {
        for (Subject subject : subjects.apply(key, value)) {
            index.compute(subject, (s, keys) -> {
                if (keys == null || keys.size() == 1 && keys.containsKey(key)) {
                    return Map.of(key, value);
                }
                Map<K, V> indexed = keys instanceof HashMap ? keys : new HashMap<>(keys);
                indexed.put(key, value);
                return indexed;
            });
        }
    }

    private void unindex(K key, V value) {
        for (Subject subject : subjects.apply(key, value)) {
            index.computeIfPresent(subject, (s, keys) -> {
                if (keys.get(key) != value) { // not this very value: a newer one under the key stays indexed
                    return keys;
                }
                if (keys.size() == 1) {
                    return null;
                }
                keys.remove(key); // more than one key: a HashMap
                return keys;
            });
        }
    }

    /** One miss: what the loader read, and whether it went into the cache. */
    private static final class Load<K, V> {
        private final Function<? super K, ? extends V> loader;
        private final long startedAt;
        private boolean ran;
        private V loaded;
        private V stored;

        Load(Function<? super K, ? extends V> loader, LoadEpoch epoch) {
            this.loader = loader;
            this.startedAt = epoch.current();
        }

        /** Runs inside Caffeine's computation for the key, so evictions of that key wait for it. */
        V apply(K key, IndexedCache<K, V> cache) {
            ran = true;
            loaded = loader.apply(key);
            if (loaded == null || cache.epoch.current() != startedAt) {
                return null; // known stale already: not cached at all
            }
            cache.index(key, loaded);
            stored = loaded;
            return loaded;
        }
    }
}
