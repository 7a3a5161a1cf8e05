package org.matrixauth;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.matrixauth.api.PublicApi;
import org.matrixauth.appservice.AppServiceRegistry;
import org.matrixauth.appservice.ApplicationService;
import org.matrixauth.appservice.RegistrationLoader;
import org.matrixauth.auth.Authentication;
import org.matrixauth.auth.BlockingChecks;
import org.matrixauth.auth.TokenAuthenticator;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.config.ConfigException;
import org.matrixauth.config.DatabaseConfig;
import org.matrixauth.health.Health;
import org.matrixauth.oauth.AuthorizationServer;
import org.matrixauth.oauth.Delegation;
import org.matrixauth.store.jdbi.PoolSettings;
import org.matrixauth.store.jdbi.SynapseDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synapse's request authentication, ready to use: built from one {@link AuthConfig} by
 * {@link #builder(AuthConfig)}, it authenticates requests ({@link #authentication()}), answers
 * blocking checks and makes the account changes a homeserver makes, each seen by the next request
 * (CACHE-2). It owns the background work (flushing client IPs every 5 s, pruning and reaping
 * hourly) and, unless a data source was given, the connection pool; {@link #close()} ends both.
 * The filter builds one from its init-params and publishes it in the servlet context.
 */
@PublicApi
public final class MatrixAuth implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MatrixAuth.class);

    private final Assembly parts;
    private final BackgroundWork background = new BackgroundWork();
    private final AtomicBoolean closed = new AtomicBoolean();

    private MatrixAuth(Assembly parts) {
        this.parts = parts;
    }

    /** Starts from a configuration; the rest is optional. */
    public static Builder builder(AuthConfig config) {
        return new Builder(config);
    }

    public AuthConfig config() {
        return parts.config;
    }

    /** Who is asking, request by request: what the filter asks for each request, and a homeserver where Synapse does. */
    public Authentication authentication() {
        return parts.authentication;
    }

    /** Account changes that end or narrow what tokens may do, seen by this node's next request (CACHE-2). */
    public Accounts accounts() {
        return parts.accounts;
    }

    /** RFT: refresh tokens, issued at login and consumed by {@code /refresh}, as Synapse does. */
    public RefreshTokens refreshTokens() {
        return parts.refreshTokens;
    }

    /** BLK: where a homeserver blocks (BLK-7), e.g. before creating an access token. */
    public BlockingChecks blocking() {
        return parts.authBlocking;
    }

    /** OAU-9: the authorization server delegated authentication trusts; empty without delegation. */
    public Optional<AuthorizationServer> authorizationServer() {
        return Optional.ofNullable(parts.delegation).map(Delegation::server);
    }

    /**
     * The application services registered (AS-8), for a homeserver's own checks, e.g. Synapse's
     * refusal to register a user id in a service's exclusive namespace.
     */
    public List<ApplicationService> appServices() {
        return List.copyOf(parts.appServices.all());
    }

    /**
     * The database with Synapse's tables, for the homeserver's own statements (registering users,
     * issuing tokens): the filter's pool, or the data source the builder was given.
     */
    public DataSource dataSource() {
        return parts.database.dataSource();
    }

    /**
     * What operators scrape, for a Prometheus exporter ({@code MatrixAuthMetricsServlet} serves it);
     * {@code MatrixAuthMeterBinder} publishes the same series into a Micrometer registry.
     */
    public PrometheusRegistry metricsRegistry() {
        return parts.metrics;
    }

    /**
     * OBS-5: whether this node can serve now, and why not: for a load balancer's readiness check
     * (the example's {@code /health/ready}, the Spring Boot module's health indicator).
     */
    public Health health() {
        return parts.health();
    }

    /** For the tests' and benchmarks' look inside; not the library's API. */
    Assembly parts() {
        return parts;
    }

    /**
     * Stops listening and the background work, writes what is still queued, then closes the pool
     * it opened ({@link Assembly#closingSteps}): each step bounded, so that the whole takes seconds
     * at most also when the database does not answer, and once (a second call does nothing).
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            parts.closingSteps(background).runAll();
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

        /** What every expiry, recording and MAU decision reads the time from, the caches' included. */
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
                auth = new MatrixAuth(new Assembly(config, clock, authenticators, appServices, database));
                auth.parts.startBackgroundWork(auth.background);
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

        private static void closeAfterFailure(SynapseDatabase database, Throwable failure) {
            try {
                database.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }
}
