package org.matrixauth.config;

import java.time.Duration;
import org.matrixauth.PublicApi;

/**
 * The caches in front of the database (SPEC section 11).
 *
 * @param maxTokens {@code auth_cache.max_tokens}: token lookups kept
 * @param maxUsers {@code auth_cache.max_users}: user records (and account expiry, devices) kept
 * @param lifetime {@code auth_cache.lifetime}: how long an entry lives while PostgreSQL notifies changes
 * @param lifetimeWithoutNotifications {@code auth_cache.lifetime_without_notifications}: how long it
 *     lives otherwise (H2, a Synapse database without the triggers, a lost listening connection):
 *     the bound on how long a change made outside this node can go unseen
 * @param notifySynapseDatabase {@code auth_cache.notify_synapse_database}: put the notification
 *     triggers on a database Synapse manages (the one thing the filter then creates there)
 */
@PublicApi
public record CacheConfig(long maxTokens, long maxUsers, Duration lifetime, Duration lifetimeWithoutNotifications,
                          boolean notifySynapseDatabase) {

    public static final CacheConfig DEFAULT = new CacheConfig(100_000, 100_000, Duration.ofMinutes(10), Duration.ofSeconds(1), false);

    static CacheConfig read(Settings reader) {
        reader.ownSection("auth_cache");
        Duration withoutNotifications = Duration.ofMillis(reader.durationMs("auth_cache.lifetime_without_notifications",
                DEFAULT.lifetimeWithoutNotifications.toMillis()));
        Duration lifetime = Duration.ofMillis(reader.durationMs("auth_cache.lifetime", DEFAULT.lifetime.toMillis()));
        if (lifetime.compareTo(withoutNotifications) < 0) {
            throw Settings.bad("auth_cache.lifetime", "must not be shorter than auth_cache.lifetime_without_notifications");
        }
        return new CacheConfig(
                reader.integer("auth_cache.max_tokens", (int) DEFAULT.maxTokens, 0, 100_000_000),
                reader.integer("auth_cache.max_users", (int) DEFAULT.maxUsers, 0, 100_000_000),
                lifetime,
                withoutNotifications,
                reader.bool("auth_cache.notify_synapse_database", false));
    }
}
