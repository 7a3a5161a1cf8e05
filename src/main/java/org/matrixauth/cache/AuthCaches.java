package org.matrixauth.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.OptionalLong;
import org.matrixauth.config.CacheConfig;
import org.matrixauth.store.TokenLookup;
import org.matrixauth.account.UserRecord;

/**
 * The caches in front of the database (SPEC CACHE-1..4) and the one place they are invalidated.
 * Only what exists is cached (CACHE-4: an unknown token is looked up again every time). Entries
 * live {@code auth_cache.lifetime} while change notifications are being received, and at most
 * {@code auth_cache.lifetime_without_notifications} otherwise, which is then the bound on how
 * long a change made elsewhere can go unseen (CACHE-2, CACHE-3).
 */
public final class AuthCaches {
    private final CacheConfig config;
    private final List<Dependent> dependents = new CopyOnWriteArrayList<>();
    private volatile boolean notified;
    private final Cache<String, TokenLookup> tokens;
    private final Cache<String, UserRecord> users;
    private final Cache<String, OptionalLong> accountExpiry;
    private final Cache<DeviceKey, Boolean> devices;
    /**
     * Users found to have no row, for the admin question only and for at most the short
     * lifetime: an appservice's sender usually has none, and is asked about on every request.
     */
    private final Cache<String, Boolean> absentUsers;

    public AuthCaches(CacheConfig config) {
        this.config = config;
        this.tokens = build(config.maxTokens());
        this.users = build(config.maxUsers());
        this.accountExpiry = build(config.maxUsers());
        this.devices = build(config.maxUsers());
        this.absentUsers = Caffeine.newBuilder()
                .maximumSize(config.maxUsers())
                .expireAfterWrite(config.lifetimeWithoutNotifications())
                .build();
    }

    private <K, V> Cache<K, V> build(long maximumSize) {
        return Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfter(Expiry.<K, V>writing((key, value) -> lifetime()))
                .recordStats()
                .build();
    }

    /** The lifetime of an entry written now: long while notifications arrive, the bound otherwise. */
    private java.time.Duration lifetime() {
        return notified ? config.lifetime() : config.lifetimeWithoutNotifications();
    }

    /**
     * CACHE-3: whether changes made elsewhere are being notified. Either way everything cached so
     * far is dropped: entries cached under notifications may have missed a change while they were
     * lost, and entries cached before they (re)started may be older than the bound allows.
     */
    public void setNotified(boolean notified) {
        this.notified = notified;
        invalidateAll();
    }

    /**
     * The database cannot be reached, so nothing can change in it: what is cached stays (logins
     * keep working through an outage), new entries get the short lifetime, and the next
     * {@link #setNotified(boolean) setNotified(true)} drops everything.
     */
    public void databaseUnreachable() {
        this.notified = false;
    }

    public boolean notified() {
        return notified;
    }

    Cache<String, TokenLookup> tokens() {
        return tokens;
    }

    Cache<String, UserRecord> users() {
        return users;
    }

    Cache<String, OptionalLong> accountExpiry() {
        return accountExpiry;
    }

    Cache<DeviceKey, Boolean> devices() {
        return devices;
    }

    Cache<String, Boolean> absentUsers() {
        return absentUsers;
    }

    /**
     * Another cache that keeps what a user or a device may do (OAuth 2.0 introspections): told of
     * every change the caches here are told of, made on this node or notified from another.
     */
    public interface Dependent {
        void userChanged(String userId);

        void deviceRemoved(String userId, String deviceId);

        void everythingChanged();
    }

    public void addDependent(Dependent dependent) {
        dependents.add(dependent);
    }

    /** A token row changed or went (logout, expiry change). */
    public void invalidateToken(long tokenId) {
        tokens.asMap().values().removeIf(lookup -> lookup.tokenId() != null && lookup.tokenId() == tokenId);
    }

    public void invalidateToken(String token) {
        tokens.invalidate(token);
    }

    /**
     * A user changed (locked, shadow-banned, admin flag, deactivated, account validity): their
     * record, and every cached token that acts as them or was issued to them.
     */
    public void invalidateUser(String userId) {
        users.invalidate(userId);
        absentUsers.invalidate(userId);
        accountExpiry.invalidate(userId);
        tokens.asMap().values().removeIf(lookup -> lookup.userId().equals(userId) || lookup.tokenOwner().equals(userId));
        devices.asMap().keySet().removeIf(key -> key.userId().equals(userId));
        dependents.forEach(dependent -> dependent.userChanged(userId));
    }

    /** A device went, and with it (in Synapse) its tokens. */
    public void invalidateDevice(String userId, String deviceId) {
        devices.invalidate(new DeviceKey(userId, deviceId));
        tokens.asMap().values().removeIf(lookup -> lookup.tokenOwner().equals(userId) && deviceId.equals(lookup.deviceId()));
        dependents.forEach(dependent -> dependent.deviceRemoved(userId, deviceId));
    }

    public void invalidateAll() {
        tokens.invalidateAll();
        users.invalidateAll();
        absentUsers.invalidateAll();
        accountExpiry.invalidateAll();
        devices.invalidateAll();
        dependents.forEach(Dependent::everythingChanged);
    }

    /** For metrics: each cache by name. */
    public Map<String, Cache<?, ?>> byName() {
        return Map.of("tokens", tokens, "users", users, "account_validity", accountExpiry, "devices", devices);
    }

    record DeviceKey(String userId, String deviceId) {}
}
