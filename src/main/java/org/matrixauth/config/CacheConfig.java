package org.matrixauth.config;

import java.time.Duration;
import org.matrixauth.api.PublicApi;

/**
 * The caches in front of the database (SPEC section 11).
 *
 * @param maxTokens {@code auth_cache.max_tokens}: token lookups kept
 * @param maxUsers {@code auth_cache.max_users}: user records (and account expiry, devices) kept
 * @param maxMauUsers {@code auth_cache.max_mau_users}: users whose monthly activity (TRK-6) is
 *     remembered, each in the last-seen, not-counted and not-in-the-table caches
 * @param lifetime {@code auth_cache.lifetime}: how long an entry lives while PostgreSQL notifies changes
 * @param lifetimeWithoutNotifications {@code auth_cache.lifetime_without_notifications}: how long it
 *     lives otherwise (H2, a Synapse database without the triggers, a lost listening connection):
 *     the bound on how long a change made outside this node can go unseen
 * @param lifetimeDuringOutage {@code auth_cache.lifetime_during_outage}: how long entries cached
 *     before the listening connection was lost keep being served while the database cannot be
 *     reached; zero (the default) keeps none, so the bound above holds in a network partition too
 * @param notifySynapseDatabase {@code auth_cache.notify_synapse_database}: put the notification
 *     triggers on a database Synapse manages (the one thing the filter then creates there)
 * @param listenUrl {@code auth_cache.listen_url}: the PostgreSQL JDBC URL the change listener
 *     connects to, or null for the {@code database} key's; needed for a connection of its own when
 *     the pool is the container's or the application's
 */
@PublicApi
public record CacheConfig(long maxTokens, long maxUsers, long maxMauUsers, Duration lifetime,
                          Duration lifetimeWithoutNotifications, Duration lifetimeDuringOutage,
                          boolean notifySynapseDatabase, String listenUrl) {

    public static final CacheConfig DEFAULT = new CacheConfig(100_000, 100_000, 100_000, Duration.ofMinutes(10),
            Duration.ofSeconds(1), Duration.ZERO, false, null);
    private static final String POSTGRESQL_URL = "jdbc:postgresql:";

    static CacheConfig read(Settings reader) {
        reader.ownSection("auth_cache");
        Duration withoutNotifications = duration(reader, "auth_cache.lifetime_without_notifications",
                DEFAULT.lifetimeWithoutNotifications);
        Duration lifetime = duration(reader, "auth_cache.lifetime", DEFAULT.lifetime);
        if (lifetime.compareTo(withoutNotifications) < 0) {
            throw Settings.bad("auth_cache.lifetime", "must not be shorter than auth_cache.lifetime_without_notifications");
        }
        String listenUrl = reader.string("auth_cache.listen_url", null);
        if (listenUrl != null && !listenUrl.startsWith(POSTGRESQL_URL)) {
            // Not echoed: a JDBC URL may carry a password.
            throw Settings.bad("auth_cache.listen_url", "must be a PostgreSQL JDBC URL (" + POSTGRESQL_URL + "//host/database)");
        }
        return new CacheConfig(
                reader.integer("auth_cache.max_tokens", (int) DEFAULT.maxTokens, 0, 100_000_000),
                reader.integer("auth_cache.max_users", (int) DEFAULT.maxUsers, 0, 100_000_000),
                reader.integer("auth_cache.max_mau_users", (int) DEFAULT.maxMauUsers, 0, 100_000_000),
                lifetime,
                withoutNotifications,
                duration(reader, "auth_cache.lifetime_during_outage", DEFAULT.lifetimeDuringOutage),
                reader.bool("auth_cache.notify_synapse_database", false),
                listenUrl);
    }

    private static Duration duration(Settings reader, String key, Duration fallback) {
        return Duration.ofMillis(reader.durationMs(key, fallback.toMillis()));
    }

    @Override
    public String toString() {
        return "CacheConfig[maxTokens=" + maxTokens + ", maxUsers=" + maxUsers + ", maxMauUsers=" + maxMauUsers
                + ", lifetime=" + lifetime + ", lifetimeWithoutNotifications=" + lifetimeWithoutNotifications
                + ", lifetimeDuringOutage=" + lifetimeDuringOutage + ", notifySynapseDatabase=" + notifySynapseDatabase
                + ", listenUrl=" + (listenUrl == null ? null : DatabaseConfig.withoutPassword(listenUrl)) + "]";
    }
}
