package org.matrixauth;

import com.github.benmanes.caffeine.cache.Cache;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.matrixauth.appservice.AppServiceRegistry;
import org.matrixauth.auth.AccessTokenAuthenticator;
import org.matrixauth.auth.AppServiceAuthenticator;
import org.matrixauth.auth.AuthBlocking;
import org.matrixauth.auth.Authentication;
import org.matrixauth.auth.CountedAuthentication;
import org.matrixauth.auth.GuestMacaroonAuthenticator;
import org.matrixauth.auth.RequestPolicy;
import org.matrixauth.auth.RequestRecorder;
import org.matrixauth.auth.RequesterResolver;
import org.matrixauth.auth.TokenUseMarks;
import org.matrixauth.auth.TokenAuthenticator;
import org.matrixauth.cache.AuthCaches;
import org.matrixauth.cache.CacheMetrics;
import org.matrixauth.cache.CachingDeviceStore;
import org.matrixauth.cache.CachingTokenStore;
import org.matrixauth.cache.CachingUserStore;
import org.matrixauth.cache.ChangeListener;
import org.matrixauth.cache.ListenerHealth;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.health.DatabaseAvailability;
import org.matrixauth.health.Health;
import org.matrixauth.macaroon.GuestMacaroonVerifier;
import org.matrixauth.metrics.MetricsSource;
import org.matrixauth.net.ClientIpResolver;
import org.matrixauth.observe.ActingAsAudit;
import org.matrixauth.observe.AuditedAuthentication;
import org.matrixauth.oauth.Delegation;
import org.matrixauth.ratelimit.FailedTokenChecks;
import org.matrixauth.store.DeviceStore;
import org.matrixauth.store.UserStore;
import org.matrixauth.store.jdbi.SynapseDatabase;
import org.matrixauth.token.AccessTokenExtractor;
import org.matrixauth.tracking.BatchingClientIpRecorder;
import org.matrixauth.tracking.ClientIpPruner;
import org.matrixauth.tracking.MauRecorder;
import org.matrixauth.tracking.MonthlyActiveUsers;
import org.matrixauth.tracking.TrackingMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a {@link MatrixAuth} is made of, built from one configuration over one database: the
 * caching stores, tracking, the authentication pipeline, delegation when it is on, and the one
 * metrics registry each part registers into. It also knows what runs in the background and in
 * which order its parts close. Nothing here decides a rule; each part's class does.
 */
final class Assembly {
    static final long FLUSH_INTERVAL_MS = 5_000;
    static final long UPKEEP_INTERVAL_MS = 3_600_000;
    private static final Logger LOG = LoggerFactory.getLogger(Assembly.class);

    final AuthConfig config;
    final SynapseDatabase database;
    final AuthCaches caches;
    final UserStore users;
    final Accounts accounts;
    final RefreshTokens refreshTokens;
    final MonthlyActiveUsers monthlyActiveUsers;
    final BatchingClientIpRecorder clientIps;
    final AuthBlocking authBlocking;
    final Authentication authentication;
    final ActingAsAudit actingAsAudit;
    final Delegation delegation;
    final AppServiceRegistry appServices;
    final PrometheusRegistry metrics = new PrometheusRegistry();
    private final ChangeListener changeListener;
    private final MauRecorder mauRecorder;
    private final ClientIpPruner clientIpPruner;
    private final CachingTokenStore tokens;
    final TokenUseMarks tokenUseMarks;

    Assembly(AuthConfig config, Clock clock, List<TokenAuthenticator> addedKinds, AppServiceRegistry appServices,
             SynapseDatabase database) {
        this.config = config;
        this.database = database;
        this.appServices = appServices;
        this.caches = new AuthCaches(config.caches(), clock);
        this.users = new CachingUserStore(database.users(), caches);
        DeviceStore devices = new CachingDeviceStore(database.devices(), caches);
        this.delegation = config.delegation().enabled()
                ? new Delegation(config.delegation(), config.serverName(), users, devices, caches,
                        config.caches().maxTokens(), clock)
                : null;
        this.accounts = new Accounts(database.accounts(), users, caches, database.features().usersLocked());
        this.monthlyActiveUsers = new MonthlyActiveUsers(database.monthlyActiveUsers(), users, config.mau(), clock,
                config.caches().lifetimeWithoutNotifications(), config.caches().maxMauUsers());
        this.changeListener = database.features().toldOfChanges()
                ? new ChangeListener(SynapseDatabase.CHANGE_CHANNEL, database::openDedicatedConnection,
                        database::checkConnection, caches, new ListenerHealth(caches, config.caches().lifetimeDuringOutage(),
                                database.availability()::suspect),
                        database.features().invalidationStream() ? monthlyActiveUsers : null)
                : null;
        this.mauRecorder = new MauRecorder(monthlyActiveUsers, (int) config.caches().maxMauUsers());
        this.clientIps = new BatchingClientIpRecorder(database.clientIps(), config.tracking().clientIpQueueLimit());
        this.clientIpPruner = new ClientIpPruner(database.clientIps(), config.tracking().userIpsMaxAgeMs(), clock);
        this.authBlocking = new AuthBlocking(config.blocking(), config.mau(), config.tracking().trackAppserviceUserIps(),
                config.serverName(), monthlyActiveUsers, users);
        this.refreshTokens = new RefreshTokens(config.tokenLifetimes(), database.refreshTokens(), authBlocking, caches, clock);
        this.tokens = new CachingTokenStore(database.tokens(), caches);
        this.tokenUseMarks = new TokenUseMarks(tokens, (int) config.caches().maxTokens());
        FailedTokenChecks failedChecks = new FailedTokenChecks(config.failedTokenChecks(), clock);
        RequesterResolver resolver = new RequesterResolver(
                new AccessTokenExtractor(config.allowAccessTokenQuery()),
                authenticators(addedKinds, devices, clock),
                new RequestPolicy(users, authBlocking, accountValidity() && delegation == null, clock),
                new RequestRecorder(clientIps, mauRecorder, config.tracking().trackPuppetedUserIps(),
                        config.tracking().trackAppserviceUserIps(), clock),
                failedChecks);
        CountedAuthentication counted = new CountedAuthentication(resolver,
                new ClientIpResolver(config.tracking().trustedProxies()),
                delegation == null ? null : delegation.server()::isSharedSecret);
        this.actingAsAudit = new ActingAsAudit(clock, ActingAsAudit.MAX_PAIRS);
        this.authentication = new AuditedAuthentication(counted, actingAsAudit);
        List<MetricsSource> sources = new ArrayList<>(List.of(counted, actingAsAudit,
                new TrackingMetrics(clientIps, monthlyActiveUsers, mauRecorder, config.mau()),
                new CacheMetrics(namedCaches(), caches), failedChecks));
        if (delegation != null) {
            sources.add(delegation);
        }
        sources.forEach(source -> source.registerMetrics(metrics));
    }

    /**
     * SPEC order: application services (in memory, AS-1), then the added kinds (so that their
     * tokens cost no database query), then Synapse's access tokens (TOK-1) and guest macaroons
     * (TOK-2), or, while delegation is on, the authorization server's tokens instead (OAU-1).
     */
    private List<TokenAuthenticator> authenticators(List<TokenAuthenticator> addedKinds, DeviceStore devices, Clock clock) {
        List<TokenAuthenticator> chain = new ArrayList<>();
        chain.add(new AppServiceAuthenticator(appServices, users, devices, config.msc3202DeviceMasquerading()));
        chain.addAll(addedKinds);
        if (delegation != null) {
            chain.add(delegation.authenticator());
        } else {
            GuestMacaroonAuthenticator guests = new GuestMacaroonAuthenticator(
                    new GuestMacaroonVerifier(config.macaroonSecretKey(), clock), users,
                    config.caches().lifetimeWithoutNotifications(), config.caches().maxTokens(), clock);
            chain.add(new AccessTokenAuthenticator(tokens, tokenUseMarks, guests::isRecentlyVerified));
            chain.add(guests);
        }
        return chain;
    }

    /** OBS-5: the database decides whether the node can serve, so does the authorization server when delegated. */
    Health health() {
        List<Health.Check> checks = new ArrayList<>();
        checks.add(Health.Check.of("database", database.availability().problem(), true));
        if (changeListener != null) {
            checks.add(Health.Check.of(database.features().invalidationStream() ? "synapse_stream" : "notifications",
                    caches.notified() ? null : "not told of changes made elsewhere: cached entries live at most"
                            + " auth_cache.lifetime_without_notifications", false));
        }
        if (delegation != null) {
            checks.add(Health.Check.of("authorization_server", delegation.problem(), true));
        }
        return Health.of(checks);
    }

    /** TOK-9 needs the account_validity table; a database Synapse made before it has none. */
    private boolean accountValidity() {
        if (config.accountValidityEnabled() && !database.features().accountValidity()) {
            LOG.warn("account_validity.enabled is on, but the database has no account_validity table: not checked");
        }
        return config.accountValidityEnabled() && database.features().accountValidity();
    }

    /** Every cache, by the name its metrics carry (CACHE-1). */
    Map<String, Cache<?, ?>> namedCaches() {
        Map<String, Cache<?, ?>> named = new TreeMap<>(caches.byName());
        named.putAll(monthlyActiveUsers.caches());
        if (delegation != null) {
            named.put("introspections", delegation.cache());
        }
        return named;
    }

    void startBackgroundWork(BackgroundWork background) {
        monthlyActiveUsers.reserveThreepidOwners();
        if (changeListener != null) {
            changeListener.start();
            background.every(BackgroundWork.Lane.WATCHDOG, ListenerHealth.CHECK_INTERVAL_MS, "watching change notifications",
                    changeListener::checkAlive);
        }
        background.every(BackgroundWork.Lane.PROBE, DatabaseAvailability.PROBE_INTERVAL_MS, "probing the database",
                database::probe);
        background.every(BackgroundWork.Lane.WRITES, FLUSH_INTERVAL_MS, "flushing client IPs", clientIps::flush);
        background.every(BackgroundWork.Lane.WRITES, FLUSH_INTERVAL_MS, "counting monthly active users queued by failures",
                mauRecorder::retry);
        background.every(BackgroundWork.Lane.WRITES, FLUSH_INTERVAL_MS, "marking tokens used (TOK-6)",
                tokenUseMarks::flush);
        background.every(BackgroundWork.Lane.UPKEEP, UPKEEP_INTERVAL_MS, "pruning user_ips", clientIpPruner::prune);
        background.every(BackgroundWork.Lane.UPKEEP, UPKEEP_INTERVAL_MS, "reaping monthly active users",
                monthlyActiveUsers::reap);
        background.every(BackgroundWork.Lane.UPKEEP, UPKEEP_INTERVAL_MS, "summarising who acted as whom",
                actingAsAudit::summarise);
    }

    /**
     * How the parts close, in order: stop listening (a connection attempt under way ends meanwhile,
     * while the final flush runs), stop the background work after writing what is still queued
     * (TRK-3, MAU counts that failed, TOK-6 marks, the audit's counts), close the listener's connection, then the pool.
     */
    ClosingSteps closingSteps(BackgroundWork background) {
        ClosingSteps steps = new ClosingSteps();
        if (changeListener != null) {
            steps.add("listening for changes", changeListener::stop);
        }
        steps.add("the background work", () -> background.stop(this::finalFlush));
        if (changeListener != null) {
            steps.add("the change listener", changeListener::close);
        }
        steps.add("the database", database::close);
        return steps;
    }

    private void finalFlush() {
        mauRecorder.retry();
        tokenUseMarks.flush();
        clientIps.close();
        actingAsAudit.summarise(); // OBS-4: what was counted since the last summary is not lost at shutdown
    }
}
