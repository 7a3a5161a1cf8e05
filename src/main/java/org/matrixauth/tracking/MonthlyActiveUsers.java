package org.matrixauth.tracking;

import com.github.benmanes.caffeine.cache.Cache;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.matrixauth.cache.CacheBuilders;
import org.matrixauth.cache.MauChanges;
import org.matrixauth.config.MauConfig;
import org.matrixauth.store.MauStore;
import org.matrixauth.account.UserRecord;
import org.matrixauth.store.UserStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Monthly active users (SPEC TRK-6, MAU-1..4): counting users as they act, and the table's
 * upkeep. A user already counted within the hour costs no database I/O: their last-seen time
 * is cached.
 */
public final class MonthlyActiveUsers implements MauChanges {
    /** TRK-6: a counted user's timestamp is refreshed at most this often. */
    static final long LAST_SEEN_GRANULARITY_MS = 3_600_000L;
    /** MAU-2: entries older than this are reaped. */
    static final long THIRTY_DAYS_MS = 30 * 86_400_000L;
    private static final long DAY_MS = 86_400_000L;
    private static final Logger LOG = LoggerFactory.getLogger(MonthlyActiveUsers.class);

    private final MauStore store;
    private final UserStore users;
    private final MauConfig config;
    private final Clock clock;
    /** Users known to be in the table, with their timestamp. */
    private final Cache<String, Long> lastSeen;
    /** Guests, support and trial users, who are not counted, until when to leave them be. */
    private final Cache<String, Long> notCountedUntil;
    /** Users found not to be in the table, for at most {@link #staleness}: guests on blocking routes ask often. */
    private final Cache<String, Boolean> knownAbsent;
    private final Duration staleness;
    private volatile CachedCount cachedCount;
    private volatile List<String> reservedUsers = List.of();

    /**
     * @param staleness how old a count or an absence may be when this node did not make the change
     *     (MAU-4: its own changes are seen by its next check); the caches' bound without notifications
     * @param cacheSize users each cache keeps ({@code auth_cache.max_mau_users}, CACHE-1)
     */
    public MonthlyActiveUsers(MauStore store, UserStore users, MauConfig config, Clock clock, Duration staleness,
                              long cacheSize) {
        this.store = store;
        this.users = users;
        this.config = config;
        this.clock = clock;
        this.staleness = staleness;
        this.lastSeen = CacheBuilders.newBuilder(clock).maximumSize(cacheSize).recordStats().build();
        this.notCountedUntil = CacheBuilders.newBuilder(clock).maximumSize(cacheSize).recordStats().build();
        this.knownAbsent = CacheBuilders.newBuilder(clock).maximumSize(cacheSize).expireAfterWrite(staleness).recordStats().build();
    }

    /**
     * Whether {@link #populate} has anything to do for the user, answered from memory: false for
     * a user counted within the hour, or known not to count for now, and when nothing is counted.
     *
     * @param now the request's time (epoch milliseconds, of this class's clock)
     */
    public boolean needsCounting(String userId, long now) {
        if (!config.tracking()) {
            return false;
        }
        Long seen = lastSeen.getIfPresent(userId);
        if (seen != null && now - seen < LAST_SEEN_GRANULARITY_MS) {
            return false;
        }
        Long skipUntil = notCountedUntil.getIfPresent(userId);
        return skipUntil == null || now >= skipUntil;
    }

    /**
     * TRK-6: count the user now. Guests, support users and trial users are skipped; a user not yet
     * counted is added (when limiting, only while there is room); one counted over an hour ago is
     * refreshed.
     *
     * @throws RuntimeException when the database fails ({@link MauRecorder} keeps that off requests)
     */
    public void populate(String userId) {
        long now = clock.millis();
        if (!needsCounting(userId, now)) {
            return;
        }
        Long seen = lastSeen.getIfPresent(userId);
        // As Synapse, a user without a users row (an appservice's sender) is no guest, no trial
        // user and no support user: it is counted like any other.
        Optional<UserRecord> user = users.findUser(userId);
        long notCountedFor = user.map(found -> notCountedFor(found, now)).orElse(0L);
        if (notCountedFor > 0) {
            notCountedUntil.put(userId, now + Math.min(notCountedFor, LAST_SEEN_GRANULARITY_MS));
            return;
        }
        OptionalLong stored = seen != null ? OptionalLong.of(seen) : store.lastSeen(userId);
        if (stored.isEmpty()) {
            addIfRoom(userId, user.map(UserRecord::isAppserviceUser).orElse(false), now);
        } else if (now - stored.getAsLong() > LAST_SEEN_GRANULARITY_MS) {
            store.upsert(userId, now);
            lastSeen.put(userId, now);
        } else {
            lastSeen.put(userId, stored.getAsLong());
        }
    }

    /**
     * One at a time, so that this node never counts past {@code max_mau_value}. MAU-4: the cached
     * count takes this node's own addition at once (appservice users are not counted, MAU-1; a
     * user without a users row is, as in Synapse's count), so the next check sees it without
     * counting the table again.
     */
    private synchronized void addIfRoom(String userId, boolean appserviceUser, long now) {
        int count = count();
        if (!config.limitUsageByMau() || count < config.maxMauValue()) {
            store.upsert(userId, now);
            lastSeen.put(userId, now);
            knownAbsent.invalidate(userId);
            CachedCount cached = cachedCount;
            if (cached != null && !appserviceUser) {
                cachedCount = new CachedCount(cached.value + 1, cached.at);
            }
        }
    }

    /** @return for how long the user is not to be counted: guests and support users, trial users */
    private long notCountedFor(UserRecord user, long now) {
        if (user.isGuest() || user.isSupport()) {
            return LAST_SEEN_GRANULARITY_MS;
        }
        return Math.max(0, trialEndsAt(user) - now);
    }

    /** BLK-5: whether the user is in the table (cached when known). */
    public boolean isCounted(String userId) {
        if (lastSeen.getIfPresent(userId) != null) {
            return true;
        }
        if (knownAbsent.getIfPresent(userId) != null) {
            return false;
        }
        OptionalLong stored = store.lastSeen(userId);
        if (stored.isPresent()) {
            lastSeen.put(userId, stored.getAsLong());
        } else {
            knownAbsent.put(userId, Boolean.TRUE);
        }
        return stored.isPresent();
    }

    /** {@code mau_trial_days} (or the appservice's own) since registration have not yet passed. */
    public boolean isTrialUser(String userId) {
        return users.findUser(userId).map(user -> trialEndsAt(user) > clock.millis()).orElse(false);
    }

    private long trialEndsAt(UserRecord user) {
        int days = user.appserviceId() == null
                ? config.mauTrialDays()
                : config.appserviceTrialDays().getOrDefault(user.appserviceId(), config.mauTrialDays());
        return user.creationTs() * 1000 + days * DAY_MS; // creation_ts is in seconds, as Synapse writes it
    }

    /** MAU-1; MAU-4: cached for {@code staleness}, but dropped by every change made here. */
    public int count() {
        CachedCount cached = cachedCount;
        long now = clock.millis();
        if (cached != null && now - cached.at < staleness.toMillis()) {
            return cached.value;
        }
        int value = store.count();
        cachedCount = new CachedCount(value, now);
        return value;
    }

    /** MAU-1. */
    public Map<String, Integer> countByService() {
        return store.countByService();
    }

    /**
     * MAU-3: at start-up, the registered owners of {@code mau_limit_reserved_threepids} (at most
     * {@code max_mau_value} of them) are put into the table, and kept there by {@link #reap()}.
     */
    public void reserveThreepidOwners() {
        if (config.reservedThreepids().isEmpty()) {
            return;
        }
        List<String> owners = store.ownersOf(config.reservedThreepids());
        if (config.limitUsageByMau() && owners.size() > config.maxMauValue()) {
            owners = owners.subList(0, config.maxMauValue());
        }
        long now = clock.millis();
        for (String owner : owners) {
            store.upsert(owner, now);
            lastSeen.put(owner, now);
        }
        cachedCount = null;
        reservedUsers = List.copyOf(owners);
        LOG.info("{} reserved user(s) of mau_limit_reserved_threepids counted as monthly active", owners.size());
    }

    /**
     * MAU-2: remove entries older than 30 days, then (when limiting) trim to {@code max_mau_value}
     * by least recent; reserved users stay. Only the users removed are forgotten: everyone else
     * stays counted without a query (a forgotten user costs one on their next request, which
     * fails during an outage).
     */
    public void reap() {
        if (!config.tracking()) {
            return;
        }
        List<String> keep = reservedUsers;
        List<String> removed = new ArrayList<>(store.removeOlderThan(clock.millis() - THIRTY_DAYS_MS, keep));
        if (config.limitUsageByMau()) {
            removed.addAll(store.trimTo(Math.max(0, config.maxMauValue() - keep.size()), keep));
        }
        if (!removed.isEmpty()) {
            lastSeen.invalidateAll(removed); // they must be counted afresh
            cachedCount = null;
        }
    }

    @Override
    public void userChanged(String userId) {
        lastSeen.invalidate(userId);
        notCountedUntil.invalidate(userId);
        knownAbsent.invalidate(userId);
        cachedCount = null;
    }

    @Override
    public void allChanged() {
        lastSeen.invalidateAll();
        notCountedUntil.invalidateAll();
        knownAbsent.invalidateAll();
        cachedCount = null;
    }

    @Override
    public void countChanged() {
        cachedCount = null;
    }

    /** For metrics: the caches by name. */
    public Map<String, Cache<?, ?>> caches() {
        return Map.of("mau_last_seen", lastSeen, "mau_not_counted", notCountedUntil, "mau_absent", knownAbsent);
    }

    private record CachedCount(int value, long at) {}

    /** MAU-3's reserved users found at start-up. */
    List<String> reservedUsers() {
        return reservedUsers;
    }
}
