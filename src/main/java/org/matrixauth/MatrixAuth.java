package org.matrixauth;

import com.github.benmanes.caffeine.cache.Cache;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.matrixauth.account.AccountChanges;
import org.matrixauth.appservice.AppServiceRegistry;
import org.matrixauth.appservice.RegistrationLoader;
import org.matrixauth.auth.AppServiceAuthenticator;
import org.matrixauth.auth.AuthBlocking;
import org.matrixauth.auth.RequesterResolver;
import org.matrixauth.auth.UserTokenAuthenticator;
import org.matrixauth.cache.AuthCaches;
import org.matrixauth.cache.CachingDeviceStore;
import org.matrixauth.cache.CachingTokenStore;
import org.matrixauth.cache.CachingUserStore;
import org.matrixauth.cache.ChangeListener;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.config.ConfigException;
import org.matrixauth.macaroon.GuestMacaroonVerifier;
import org.matrixauth.metrics.AuthMetrics;
import org.matrixauth.net.ClientIpResolver;
import org.matrixauth.store.DeviceStore;
import org.matrixauth.store.TokenStore;
import org.matrixauth.store.UserStore;
import org.matrixauth.store.jdbi.SynapseDatabase;
import org.matrixauth.token.AccessTokenExtractor;
import org.matrixauth.tracking.BatchingClientIpRecorder;
import org.matrixauth.tracking.ClientIpPruner;
import org.matrixauth.tracking.MonthlyActiveUsers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything authentication needs, wired from one {@link AuthConfig}: the database, the
 * application services, the resolver, recording and blocking, and the background work (flushing
 * client IPs every 5 s, pruning and reaping hourly). The filter owns one; a homeserver may build
 * its own to reach the same parts, e.g. {@link #authBlocking()} before creating a token.
 */
public final class MatrixAuth implements AutoCloseable {
    static final long FLUSH_INTERVAL_MS = 5_000;
    static final long UPKEEP_INTERVAL_MS = 3_600_000;
    static final long WATCHDOG_INTERVAL_MS = 250;
    private static final Logger LOG = LoggerFactory.getLogger(MatrixAuth.class);

    private final AuthConfig config;
    private final SynapseDatabase database;
    private final AppServiceRegistry appServices;
    private final AuthCaches caches;
    private final UserStore users;
    private final AccountChanges accountChanges;
    private final ChangeListener changeListener;
    private final MonthlyActiveUsers monthlyActiveUsers;
    private final BatchingClientIpRecorder clientIps;
    private final ClientIpPruner clientIpPruner;
    private final RequesterResolver resolver;
    private final AuthBlocking authBlocking;
    private final ClientIpResolver clientIpResolver;
    private final AuthMetrics metrics;
    private final ScheduledExecutorService background;

    private MatrixAuth(AuthConfig config, SynapseDatabase database, AppServiceRegistry appServices, Clock clock) {
        this.config = config;
        this.database = database;
        this.appServices = appServices;
        this.caches = new AuthCaches(config.caches());
        this.users = new CachingUserStore(database.users(), caches);
        TokenStore tokens = new CachingTokenStore(database.tokens(), caches);
        DeviceStore devices = new CachingDeviceStore(database.devices(), caches);
        this.accountChanges = new AccountChanges(database.accounts(), caches, database.features().usersLocked());
        this.changeListener = database.features().changeNotifications()
                ? new ChangeListener(database::openDedicatedConnection,
                        () -> database.jdbi().useHandle(handle -> {}), caches, clock)
                : null;
        this.monthlyActiveUsers = new MonthlyActiveUsers(database.monthlyActiveUsers(), users, config.mau(), clock,
                config.caches().lifetimeWithoutNotifications());
        this.clientIps = new BatchingClientIpRecorder(database.clientIps(), monthlyActiveUsers, clock,
                config.tracking().clientIpQueueLimit());
        this.clientIpPruner = new ClientIpPruner(database.clientIps(), config.tracking().userIpsMaxAgeMs(), clock);
        this.resolver = new RequesterResolver(
                new AccessTokenExtractor(config.allowAccessTokenQuery()),
                new AppServiceAuthenticator(appServices, users, devices, config.msc3202DeviceMasquerading()),
                new UserTokenAuthenticator(tokens, users,
                        new GuestMacaroonVerifier(config.macaroonSecretKey(), clock),
                        accountValidity(config, database), clock),
                clientIps,
                config.tracking().trackPuppetedUserIps(),
                config.tracking().trackAppserviceUserIps());
        this.authBlocking = new AuthBlocking(config.blocking(), config.mau(), config.tracking().trackAppserviceUserIps(),
                config.serverName(), monthlyActiveUsers, users);
        this.clientIpResolver = new ClientIpResolver(config.tracking().trustedProxies());
        Map<String, Cache<?, ?>> namedCaches = new TreeMap<>(caches.byName());
        namedCaches.putAll(monthlyActiveUsers.caches());
        this.metrics = new AuthMetrics(clientIps, monthlyActiveUsers, config.mau(), namedCaches, caches);
        this.background = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "matrix-auth-filter-background");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Loads the registrations first, so that a bad file fails start-up before any connection
     * is opened; then opens the database, counts the reserved users (MAU-3) and starts the
     * background work.
     *
     * @throws ConfigException naming the bad key or file
     */
    public static MatrixAuth start(AuthConfig config) {
        AppServiceRegistry appServices =
                new RegistrationLoader(config.serverName()).loadAll(config.appServiceConfigFiles());
        SynapseDatabase database;
        try {
            database = SynapseDatabase.open(config.database(), config.caches().notifySynapseDatabase());
        } catch (RuntimeException e) {
            throw new ConfigException("configuration key 'database': cannot use " + config.database() + ": "
                    + rootMessage(e), e);
        }
        MatrixAuth auth = new MatrixAuth(config, database, appServices, Clock.systemUTC());
        auth.monthlyActiveUsers.reserveThreepidOwners();
        if (auth.changeListener != null) {
            auth.changeListener.start();
            auth.schedule("watching change notifications", auth.changeListener::checkAlive, WATCHDOG_INTERVAL_MS);
        }
        auth.schedule("flushing client IPs", auth.clientIps::flush, FLUSH_INTERVAL_MS);
        auth.schedule("pruning user_ips", auth.clientIpPruner::prune, UPKEEP_INTERVAL_MS);
        auth.schedule("reaping monthly active users", auth.monthlyActiveUsers::reap, UPKEEP_INTERVAL_MS);
        return auth;
    }

    /** TOK-9 needs the account_validity table; a database Synapse made before it has none. */
    private static boolean accountValidity(AuthConfig config, SynapseDatabase database) {
        if (config.accountValidityEnabled() && !database.features().accountValidity()) {
            LOG.warn("account_validity.enabled is on, but the database has no account_validity table: not checked");
        }
        return config.accountValidityEnabled() && database.features().accountValidity();
    }

    /** A failing run is logged and the next one still happens. */
    private void schedule(String what, Runnable task, long intervalMs) {
        background.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("Background work failed ({}): {}", what, e.getClass().getName());
            }
        }, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    public AuthConfig config() {
        return config;
    }

    public SynapseDatabase database() {
        return database;
    }

    public AppServiceRegistry appServices() {
        return appServices;
    }

    public RequesterResolver resolver() {
        return resolver;
    }

    /** CACHE-2: logouts, locks, admin changes and deactivation, seen by this node's next request. */
    public AccountChanges accountChanges() {
        return accountChanges;
    }

    /** The users store as authentication reads it (cached). */
    public UserStore users() {
        return users;
    }

    public AuthCaches caches() {
        return caches;
    }

    public AuthBlocking authBlocking() {
        return authBlocking;
    }

    public MonthlyActiveUsers monthlyActiveUsers() {
        return monthlyActiveUsers;
    }

    public BatchingClientIpRecorder clientIps() {
        return clientIps;
    }

    public ClientIpResolver clientIpResolver() {
        return clientIpResolver;
    }

    public AuthMetrics metrics() {
        return metrics;
    }

    /** Stops the background work, writes what is still queued (TRK-3), then closes the pool. */
    @Override
    public void close() throws Exception {
        if (changeListener != null) {
            changeListener.close();
        }
        background.shutdown();
        background.awaitTermination(10, TimeUnit.SECONDS);
        clientIps.close();
        database.close();
    }
}
