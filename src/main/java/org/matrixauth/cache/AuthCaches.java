package org.matrixauth.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.matrixauth.account.UserRecord;
import org.matrixauth.config.CacheConfig;
import org.matrixauth.store.TokenLookup;

/**
 * The caches in front of the database (SPEC CACHE-1..4) and the one place they are invalidated.
 * Only what exists is cached (CACHE-4: an unknown token is looked up again every time). Entries
 * live {@code auth_cache.lifetime} while change notifications are being received, and at most
 * {@code auth_cache.lifetime_without_notifications} otherwise, which is then the bound on how
 * long a change made elsewhere can go unseen (CACHE-2, CACHE-3).
 *
 * <p>Every invalidation names what changed as a {@link Subject} (token id, user, device), as
 * notifications do, and goes to every registered {@link Evictable}: the caches here, and any a
 * token authenticator adds ({@link #newIndexedCache}, or {@link #register} for a cache of its
 * own shape). Each finds the entries concerned through its index, without a scan, and a load
 * in flight cannot put back what an invalidation removed ({@link IndexedCache}).
 */
public final class AuthCaches {
    private final CacheConfig config;
    private final Clock clock;
    private final LoadEpoch epoch = new LoadEpoch();
    private final List<Evictable> evictables = new CopyOnWriteArrayList<>();
    private volatile boolean notified;
    private final IndexedCache<String, TokenLookup> tokens;
    private final IndexedCache<String, UserRecord> users;
    private final IndexedCache<String, OptionalLong> accountExpiry;
    private final IndexedCache<DeviceKey, Boolean> devices;
    /**
     * Users found to have no row, for the admin question only and for at most the short
     * lifetime: an appservice's sender usually has none, and is asked about on every request. Not
     * an {@link IndexedCache}: a stale absence answers "not an admin", which no change can make
     * less safe.
     */
    private final Cache<String, Boolean> absentUsers;

    /** @param clock what the entries expire on (CacheBuilders) */
    public AuthCaches(CacheConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.tokens = newIndexedCache(withLifetime(config.maxTokens()), AuthCaches::tokenSubjects);
        this.users = newIndexedCache(withLifetime(config.maxUsers()), (userId, user) -> List.of(new Subject.User(userId)));
        this.accountExpiry = newIndexedCache(withLifetime(config.maxUsers()),
                (userId, expiry) -> List.of(new Subject.User(userId)));
        this.devices = newIndexedCache(withLifetime(config.maxUsers()),
                (key, exists) -> List.of(new Subject.Device(key.userId(), key.deviceId()), new Subject.User(key.userId())));
        this.absentUsers = CacheBuilders.newBuilder(clock)
                .maximumSize(config.maxUsers())
                .expireAfterWrite(config.lifetimeWithoutNotifications())
                .build();
        register(new Evictable() {
            @Override
            public void evict(Subject subject) {
                if (subject instanceof Subject.User user) {
                    absentUsers.invalidate(user.userId());
                }
            }

            @Override
            public void evictAll() {
                absentUsers.invalidateAll();
            }
        });
    }

    /** A token lookup depends on its row, on the user it acts as and the user who owns it, and on its device. */
    private static Collection<Subject> tokenSubjects(String token, TokenLookup lookup) {
        List<Subject> subjects = new ArrayList<>(4);
        if (lookup.tokenId() != null) {
            subjects.add(new Subject.Token(lookup.tokenId()));
        }
        subjects.add(new Subject.User(lookup.userId()));
        if (lookup.isPuppet()) {
            subjects.add(new Subject.User(lookup.tokenOwner()));
        }
        if (lookup.deviceId() != null) {
            subjects.add(new Subject.Device(lookup.tokenOwner(), lookup.deviceId()));
        }
        return subjects;
    }

    private Caffeine<Object, Object> withLifetime(long maximumSize) {
        return CacheBuilders.newBuilder(clock)
                .maximumSize(maximumSize)
                .expireAfter(Expiry.writing((Object key, Object value) -> lifetime()));
    }

    /** The lifetime of an entry written now: long while notifications arrive, the bound otherwise. */
    private Duration lifetime() {
        return notified ? config.lifetime() : config.lifetimeWithoutNotifications();
    }

    /**
     * A cache of another kind, evicted on the same changes as these: e.g. a token authenticator's
     * results by user or device.
     *
     * @param builder its size and expiry (without stats or a removal listener: the cache keeps its own)
     * @param subjects what a value stored under a key depends on
     */
    public <K, V> IndexedCache<K, V> newIndexedCache(Caffeine<Object, Object> builder,
            BiFunction<? super K, ? super V, ? extends Collection<? extends Subject>> subjects) {
        IndexedCache<K, V> cache = new IndexedCache<>(builder, subjects, epoch);
        register(cache);
        return cache;
    }

    /** The hook: this cache is told of every invalidation from now on. */
    public void register(Evictable evictable) {
        evictables.add(evictable);
    }

    /**
     * CACHE-3: notifications are received from now on, so entries get the long lifetime; what was
     * cached before may be older than the bound allows, and goes.
     */
    void notificationsResumed() {
        notified = true;
        invalidateAll();
    }

    /** New entries get the short lifetime; whether the present ones stay is {@link ListenerHealth}'s rule. */
    void notificationsStopped() {
        notified = false;
    }

    public boolean notified() {
        return notified;
    }

    IndexedCache<String, TokenLookup> tokens() {
        return tokens;
    }

    IndexedCache<String, UserRecord> users() {
        return users;
    }

    IndexedCache<String, OptionalLong> accountExpiry() {
        return accountExpiry;
    }

    IndexedCache<DeviceKey, Boolean> devices() {
        return devices;
    }

    Cache<String, Boolean> absentUsers() {
        return absentUsers;
    }

    /** A token row changed or went (logout, expiry change). */
    public void invalidateToken(long tokenId) {
        invalidate(new Subject.Token(tokenId));
    }

    /** A token this node deleted: its own key, whatever its row said. */
    public void invalidateToken(String token) {
        epoch.advance();
        tokens.evictKey(token);
    }

    /**
     * A user changed (locked, shadow-banned, admin flag, deactivated, account validity): their
     * record, and every cached token that acts as them or was issued to them.
     */
    public void invalidateUser(String userId) {
        invalidate(new Subject.User(userId));
    }

    /** A device went, and with it (in Synapse) its tokens. */
    public void invalidateDevice(String userId, String deviceId) {
        invalidate(new Subject.Device(userId, deviceId));
    }

    public void invalidateAll() {
        epoch.advance();
        for (Evictable evictable : evictables) {
            evictable.evictAll();
        }
    }

    /** The epoch first: a load that overlaps the eviction then knows not to keep its value. */
    private void invalidate(Subject subject) {
        epoch.advance();
        for (Evictable evictable : evictables) {
            evictable.evict(subject);
        }
    }

    /** For metrics: each cache by name. */
    public Map<String, Cache<?, ?>> byName() {
        return Map.of("tokens", tokens.caffeine(), "users", users.caffeine(), "account_validity", accountExpiry.caffeine(),
                "devices", devices.caffeine());
    }

    record DeviceKey(String userId, String deviceId) {}
}
