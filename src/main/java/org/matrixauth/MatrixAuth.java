package org.matrixauth;

import com.github.benmanes.caffeine.cache.Cache;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.matrixauth.appservice.AppServiceRegistry;
import org.matrixauth.appservice.ApplicationService;
import org.matrixauth.appservice.RegistrationLoader;
import org.matrixauth.auth.AccessTokenAuthenticator;
import org.matrixauth.auth.AppServiceAuthenticator;
import org.matrixauth.auth.AuthBlocking;
import org.matrixauth.auth.AuthOptions;
import org.matrixauth.auth.BlockingChecks;
import org.matrixauth.auth.ClientRequest;
import org.matrixauth.auth.GuestMacaroonAuthenticator;
import org.matrixauth.auth.RequestPolicy;
import org.matrixauth.auth.Requester;
import org.matrixauth.auth.RequesterResolver;
import org.matrixauth.auth.TokenAuthenticator;
import org.matrixauth.cache.AuthCaches;
import org.matrixauth.cache.CachingDeviceStore;
import org.matrixauth.cache.CachingTokenStore;
import org.matrixauth.cache.CachingUserStore;
import org.matrixauth.cache.ChangeListener;
import org.matrixauth.cache.ListenerHealth;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.config.ConfigException;
import org.matrixauth.config.DatabaseConfig;
import org.matrixauth.error.Failures;
import org.matrixauth.error.MatrixException;
import org.matrixauth.macaroon.GuestMacaroonVerifier;
import org.matrixauth.metrics.AuthMetrics;
import org.matrixauth.net.ClientIpResolver;
import org.matrixauth.oauth.AuthorizationServer;
import org.matrixauth.oauth.Delegation;
import org.matrixauth.ratelimit.FailedTokenChecks;
import org.matrixauth.store.DeviceStore;
import org.matrixauth.store.UserStore;
import org.matrixauth.store.jdbi.PoolSettings;
import org.matrixauth.store.jdbi.SynapseDatabase;
import org.matrixauth.token.AccessTokenExtractor;
import org.matrixauth.tracking.BatchingClientIpRecorder;
import org.matrixauth.tracking.ClientIpPruner;
import org.matrixauth.tracking.MauRecorder;
import org.matrixauth.tracking.MonthlyActiveUsers;
import org.matrixauth.tracking.RequestRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synapse's request authentication, ready to use: built from one {@link AuthConfig} by
 * {@link #builder(AuthConfig)}, it authenticates requests, records them, answers blocking checks
 * and makes the account changes a homeserver makes, each seen by the next request (CACHE-2). It
 * owns the background work (flushing client IPs every 5 s, pruning and reaping hourly) and, unless
 * a data source was given, the connection pool; {@link #close()} ends both. The filter builds one
 * from its init-params and publishes it in the servlet context.
 */
@PublicApi
public final class MatrixAuth implements AutoCloseable {
    static final long FLUSH_INTERVAL_MS = 5_000;
    static final long UPKEEP_INTERVAL_MS = 3_600_000;
    private static final Logger LOG = LoggerFactory.getLogger(MatrixAuth.class);

    private final AuthConfig config;
    private final SynapseDatabase database;
    private final DataSource dataSource;
    private final AuthCaches caches;
    private final UserStore users;
    private final Accounts accounts;
    private final ChangeListener changeListener;
    private final MonthlyActiveUsers monthlyActiveUsers;
    private final MauRecorder mauRecorder;
    private final BatchingClientIpRecorder clientIps;
    private final ClientIpPruner clientIpPruner;
    private final RequesterResolver resolver;
    private final AuthBlocking authBlocking;
    private final ClientIpResolver clientIpResolver;
    private final AuthMetrics metrics;
    private final Delegation delegation;
    private final AppServiceRegistry appServices;
    private final BackgroundWork background = new BackgroundWork();
    private final AtomicBoolean closed = new AtomicBoolean();

    private MatrixAuth(Builder builder, AppServiceRegistry appServices, SynapseDatabase database, DataSource dataSource) {
        AuthConfig config = builder.config;
        Clock clock = builder.clock;
        this.config = config;
        this.database = database;
        this.dataSource = dataSource;
        this.appServices = appServices;
        this.caches = new AuthCaches(config.caches());
        this.users = new CachingUserStore(database.users(), caches);
        DeviceStore devices = new CachingDeviceStore(database.devices(), caches);
        FailedTokenChecks failedChecks = new FailedTokenChecks(config.failedTokenChecks(), clock);
        this.delegation = config.delegation().enabled()
                ? new Delegation(config.delegation(), config.serverName(), users, devices, caches,
                        config.caches().maxTokens(), clock)
                : null;
        this.accounts = new Accounts(database.accounts(), users, caches, database.features().usersLocked());
        this.changeListener = database.features().changeNotifications()
                ? new ChangeListener(database::openDedicatedConnection, database::checkConnection, caches,
                        new ListenerHealth(caches, config.caches().lifetimeDuringOutage()))
                : null;
        this.monthlyActiveUsers = new MonthlyActiveUsers(database.monthlyActiveUsers(), users, config.mau(), clock,
                config.caches().lifetimeWithoutNotifications(), config.caches().maxMauUsers());
        this.mauRecorder = new MauRecorder(monthlyActiveUsers, (int) config.caches().maxMauUsers());
        this.clientIps = new BatchingClientIpRecorder(database.clientIps(), config.tracking().clientIpQueueLimit());
        this.clientIpPruner = new ClientIpPruner(database.clientIps(), config.tracking().userIpsMaxAgeMs(), clock);
        this.authBlocking = new AuthBlocking(config.blocking(), config.mau(), config.tracking().trackAppserviceUserIps(),
                config.serverName(), monthlyActiveUsers, users);
        this.resolver = new RequesterResolver(
                new AccessTokenExtractor(config.allowAccessTokenQuery()),
                authenticators(builder, appServices, devices, clock),
                new RequestPolicy(users, authBlocking, accountValidity(config, database) && delegation == null, clock),
                new RequestRecorder(clientIps, mauRecorder, config.tracking().trackPuppetedUserIps(),
                        config.tracking().trackAppserviceUserIps(), clock),
                failedChecks);
        this.clientIpResolver = new ClientIpResolver(config.tracking().trustedProxies());
        this.metrics = new AuthMetrics(clientIps, monthlyActiveUsers, mauRecorder, config.mau(), namedCaches(), caches);
        if (delegation != null) {
            delegation.registerMetrics(metrics.registry());
        }
        failedChecks.registerMetrics(metrics.registry());
    }

    /**
     * SPEC order: application services (in memory, AS-1), then the added kinds (so that their
     * tokens cost no database query), then Synapse's access tokens (TOK-1) and guest macaroons
     * (TOK-2), or, while delegation is on, the authorization server's tokens instead (OAU-1).
     */
    private List<TokenAuthenticator> authenticators(Builder builder, AppServiceRegistry appServices, DeviceStore devices,
                                                    Clock clock) {
        List<TokenAuthenticator> chain = new ArrayList<>();
        chain.add(new AppServiceAuthenticator(appServices, users, devices, config.msc3202DeviceMasquerading()));
        chain.addAll(builder.authenticators);
        if (delegation != null) {
            chain.add(delegation.authenticator());
        } else {
            GuestMacaroonAuthenticator guests = new GuestMacaroonAuthenticator(
                    new GuestMacaroonVerifier(config.macaroonSecretKey(), clock), users,
                    config.caches().lifetimeWithoutNotifications(), config.caches().maxTokens());
            chain.add(new AccessTokenAuthenticator(new CachingTokenStore(database.tokens(), caches), guests::isRecentlyVerified));
            chain.add(guests);
        }
        return chain;
    }

    /** Starts from a configuration; the rest is optional. */
    public static Builder builder(AuthConfig config) {
        return new Builder(config);
    }

    /** TOK-9 needs the account_validity table; a database Synapse made before it has none. */
    private static boolean accountValidity(AuthConfig config, SynapseDatabase database) {
        if (config.accountValidityEnabled() && !database.features().accountValidity()) {
            LOG.warn("account_validity.enabled is on, but the database has no account_validity table: not checked");
        }
        return config.accountValidityEnabled() && database.features().accountValidity();
    }

    private void startBackgroundWork() {
        monthlyActiveUsers.reserveThreepidOwners();
        if (changeListener != null) {
            changeListener.start();
            background.every(BackgroundWork.Lane.WATCHDOG, ListenerHealth.CHECK_INTERVAL_MS, "watching change notifications",
                    changeListener::checkAlive);
        }
        background.every(BackgroundWork.Lane.WRITES, FLUSH_INTERVAL_MS, "flushing client IPs", clientIps::flush);
        background.every(BackgroundWork.Lane.WRITES, FLUSH_INTERVAL_MS, "counting monthly active users queued by failures",
                mauRecorder::retry);
        background.every(BackgroundWork.Lane.UPKEEP, UPKEEP_INTERVAL_MS, "pruning user_ips", clientIpPruner::prune);
        background.every(BackgroundWork.Lane.UPKEEP, UPKEEP_INTERVAL_MS, "reaping monthly active users",
                monthlyActiveUsers::reap);
    }

    public AuthConfig config() {
        return config;
    }

    /**
     * Authenticates a request for a route with these options, as the filter does (Synapse's
     * {@code get_user_by_req}), recording it; counted in the metrics by outcome.
     *
     * @throws MatrixException when the request may not proceed; 500 M_UNKNOWN for a failure inside
     *     the server, logged without its message (ERR-3: JDBI's carries the statement's arguments,
     *     so the token)
     */
    public Requester authenticate(ClientRequest request, AuthOptions options) {
        try {
            Requester requester = resolver.resolve(request, options);
            metrics.countRequest(AuthMetrics.AUTHENTICATED);
            return requester;
        } catch (MatrixException e) {
            metrics.countRequest(e.errcode());
            throw e;
        } catch (RuntimeException e) {
            LOG.error("Authentication failed inside the server: {}", Failures.describe(e));
            MatrixException internal = MatrixException.internal();
            metrics.countRequest(internal.errcode());
            throw internal;
        }
    }

    /**
     * OAU-10: a request to a route only the authorization server may call (its provisioning API)
     * must carry the shared secret as its token. Without delegation there is no such server and the
     * route does not exist: Synapse mounts {@code /_synapse/mas} only with MAS on.
     *
     * @throws MatrixException 403 M_FORBIDDEN when the token is not the secret, a missing token
     *     included; 404 M_UNRECOGNIZED without delegation
     */
    public void requireAuthorizationServer(ClientRequest request) {
        if (delegation == null) {
            throw counted(MatrixException.unrecognized(404));
        }
        String token;
        try {
            token = resolver.extractToken(request);
        } catch (MatrixException missingOrMalformed) {
            token = null;
        }
        if (!delegation.server().isSharedSecret(token)) {
            throw counted(MatrixException.forbidden("This endpoint must only be called by MAS"));
        }
        metrics.countRequest(AuthMetrics.AUTHORIZATION_SERVER);
    }

    /**
     * A route that exists only while the homeserver authenticates by itself: with delegation on,
     * Synapse registers no password login, logout or registration (the authorization server does
     * those), so they are not served, token or not.
     *
     * @throws MatrixException 404 M_UNRECOGNIZED while delegation is on
     */
    public void requireUndelegated() {
        if (delegation != null) {
            throw counted(MatrixException.unrecognized(404));
        }
    }

    private MatrixException counted(MatrixException refusal) {
        metrics.countRequest(refusal.errcode());
        return refusal;
    }

    /** OAU-9: the authorization server delegated authentication trusts; empty without delegation. */
    public Optional<AuthorizationServer> authorizationServer() {
        return Optional.ofNullable(delegation).map(Delegation::server);
    }

    /**
     * The application services registered (AS-8), for a homeserver's own checks, e.g. Synapse's
     * refusal to register a user id in a service's exclusive namespace.
     */
    public List<ApplicationService> appServices() {
        return List.copyOf(appServices.all());
    }

    /** REQ-4: whether the request carries a token at all. */
    public boolean hasAccessToken(ClientRequest request) {
        return resolver.hasAccessToken(request);
    }

    /** TRK-2: the socket peer, or the first forwarded address when the peer is a trusted proxy. */
    public String clientIp(String peerAddress, List<String> forwardedFor) {
        return clientIpResolver.clientIp(peerAddress, forwardedFor);
    }

    /** TRK-2: whether {@code X-Forwarded-For} counts for a request from this peer; it need not be read otherwise. */
    public boolean trustsForwardedFor(String peerAddress) {
        return clientIpResolver.trustsForwardedFor(peerAddress);
    }

    /** Account changes that end or narrow what tokens may do, seen by this node's next request (CACHE-2). */
    public Accounts accounts() {
        return accounts;
    }

    /** BLK: where a homeserver blocks (BLK-7), e.g. before creating an access token. */
    public BlockingChecks blocking() {
        return authBlocking;
    }

    /**
     * The database with Synapse's tables, for the homeserver's own statements (registering users,
     * issuing tokens): the filter's pool, or the data source the builder was given.
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * What operators scrape, for a Prometheus exporter ({@code MatrixAuthMetricsServlet} serves it);
     * {@code MatrixAuthMeterBinder} publishes the same series into a Micrometer registry.
     */
    public PrometheusRegistry metricsRegistry() {
        return metrics.registry();
    }

    SynapseDatabase database() {
        return database;
    }

    AuthCaches caches() {
        return caches;
    }

    UserStore users() {
        return users;
    }

    BatchingClientIpRecorder clientIps() {
        return clientIps;
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

    /**
     * Stops listening and the background work, writes what is still queued (TRK-3, and MAU counts
     * that failed), then closes the pool it opened: in that order, each step bounded so that the
     * whole takes seconds at most also when the database does not answer, and once (a second call
     * does nothing). An interrupt does not cut the closing short; the thread's interrupt flag is
     * set again at the end.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean interrupted = Thread.interrupted(); // cleared, so that the bounded waits below still wait
        if (changeListener != null) {
            changeListener.stop(); // a connection attempt under way ends meanwhile, while the final flush runs
        }
        interrupted |= closing("the background work", () -> background.stop(this::finalFlush));
        if (changeListener != null) {
            interrupted |= closing("the change listener", changeListener::close);
        }
        interrupted |= closing("the database", database::close);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void finalFlush() {
        mauRecorder.retry();
        clientIps.close();
    }

    /** @return whether the step was interrupted, which ends it; the next step is taken all the same */
    private static boolean closing(String what, ClosingStep step) {
        try {
            step.run();
        } catch (InterruptedException e) {
            LOG.warn("Interrupted while closing {}; closing the rest", what);
            return true;
        } catch (Exception e) {
            LOG.warn("Closing {} failed: {}", what, Failures.describe(e));
        }
        return false;
    }

    @FunctionalInterface
    private interface ClosingStep {
        void run() throws Exception;
    }

    private static void closeAfterFailure(SynapseDatabase database, Throwable failure) {
        try {
            database.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    /**
     * How a {@link MatrixAuth} is made: a configuration, and optionally a clock, the application's
     * own data source, and token kinds of the homeserver's own.
     */
    @PublicApi
    public static final class Builder {
        private final AuthConfig config;
        private Clock clock = Clock.systemUTC();
        private DataSource dataSource;
        private final List<TokenAuthenticator> authenticators = new ArrayList<>();

        private Builder(AuthConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** What every expiry, recording and MAU decision reads the time from. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Use the application's own pool instead of opening one from the {@code database} key, so
         * the application and the filter share it; the caller closes it.
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /**
         * A token kind of the homeserver's own, asked after application services and before
         * Synapse's access tokens, in the order added. It must answer "not mine" quickly for tokens
         * that are not its own: every Synapse access token passes it first.
         */
        public Builder authenticator(TokenAuthenticator authenticator) {
            authenticators.add(Objects.requireNonNull(authenticator, "authenticator"));
            return this;
        }

        /** The given data source, the container's (JNDI), or a pool of the filter's own. */
        private SynapseDatabase openDatabase() {
            boolean notify = config.caches().notifySynapseDatabase();
            DatabaseConfig database = config.database();
            String listenUrl = config.caches().listenUrl();
            if (dataSource != null) {
                return SynapseDatabase.open(dataSource, notify, listenUrl);
            }
            if (database.jndiName() != null) {
                return SynapseDatabase.openJndi(database.jndiName(), notify, listenUrl);
            }
            return SynapseDatabase.open(new PoolSettings(database.jdbcUrl(), database.user(), database.password(),
                    database.minIdle(), database.maxPoolSize()), notify, listenUrl);
        }

        /**
         * Loads the registrations first, so that a bad file fails start-up before any connection
         * is opened; then opens the database, counts the reserved users (MAU-3) and starts the
         * background work. When a step fails, what the earlier ones opened (pool, threads,
         * listener) is closed again before the failure is thrown: a container never calls
         * {@code destroy()} after a failed {@code init()}.
         *
         * @throws ConfigException naming the bad key or file
         */
        public MatrixAuth start() {
            AppServiceRegistry appServices =
                    new RegistrationLoader(config.serverName()).loadAll(config.appServiceConfigFiles());
            SynapseDatabase database;
            try {
                database = openDatabase();
            } catch (RuntimeException e) {
                throw new ConfigException("configuration key 'database': cannot use "
                        + (dataSource != null ? "the given data source" : config.database()) + ": " + rootMessage(e), e);
            }
            MatrixAuth auth = null;
            try {
                auth = new MatrixAuth(this, appServices, database, database.dataSource());
                auth.startBackgroundWork();
            } catch (RuntimeException | Error e) {
                if (auth != null) {
                    auth.close();
                } else {
                    closeAfterFailure(database, e);
                }
                throw e;
            }
            LOG.info("matrix-auth-filter started for {} with {} application service(s)",
                    config.serverName(), appServices.all().size());
            return auth;
        }
    }
}
