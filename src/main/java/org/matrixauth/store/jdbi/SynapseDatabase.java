package org.matrixauth.store.jdbi;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.matrixauth.health.DatabaseAvailability;
import org.matrixauth.store.AccountStore;
import org.matrixauth.store.ClientIpStore;
import org.matrixauth.store.DeviceStore;
import org.matrixauth.store.MauStore;
import org.matrixauth.store.RefreshTokenStore;
import org.matrixauth.store.TokenStore;
import org.matrixauth.store.UserStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database with Synapse's tables: the pool, the schema, and the DAOs. The only class that
 * knows how the stores are wired to JDBI.
 *
 * <p>On a database Synapse manages (SPEC section 10) nothing is created or altered: the tables
 * and columns the filter reads are checked, and later schema additions it lacks turn their
 * feature off. Any other database gets Synapse-shaped tables from the project's own migrations.
 */
public final class SynapseDatabase implements AutoCloseable {
    /**
     * The PostgreSQL channel changes are published on (CACHE-3): by the triggers
     * ({@code V2__change_notifications.sql} names it too) or, beside Synapse without them, by the
     * library's own writes.
     */
    public static final String CHANGE_CHANNEL = "matrix_auth_filter";
    /** Kept apart from Synapse's own bookkeeping tables. */
    static final String HISTORY_TABLE = "matrix_auth_filter_schema_history";
    /**
     * How long a request waits for a connection before it is answered 503 (OBS-5): HikariCP's
     * 30 s default would hang clients through a database outage (cached tokens need none). With
     * {@link #POOL_VALIDATION_MS} for a connection found dead on the way, within a second.
     */
    static final long POOL_WAIT_MS = 700;
    /** How long HikariCP's check of an idle connection waits (its least). */
    static final long POOL_VALIDATION_MS = 250;
    /** How the dedicated connection introduces itself to PostgreSQL (pg_stat_activity.application_name). */
    public static final String DEDICATED_CONNECTION_NAME = "matrix-auth-filter-listener";
    private static final String CHANGE_NOTIFICATIONS =
            "/org/matrixauth/store/migration-postgresql/V2__change_notifications.sql";
    private static final String POSTGRESQL_DRIVER = SqlDialect.POSTGRESQL.driverClass;
    private static final Logger LOG = LoggerFactory.getLogger(SynapseDatabase.class);

    private final DataSource dataSource;
    private final DatabaseAvailability availability = new DatabaseAvailability();
    /** For what requests use: bounded waits (OBS-5). */
    private final Jdbi jdbi;
    /** For the background writes, which may take longer: client IPs and their pruning. */
    private final Jdbi backgroundJdbi;
    private final SqlDialect dialect;
    private final SchemaFeatures features;
    private final ConnectionSource dedicatedConnections;
    private final AutoCloseable ownedPool;

    /**
     * @param migrations how Flyway connects: beside the pool where there is a URL, since Flyway
     *     wants two connections at once and an operator's {@code cp_max} may be 1
     */
    private SynapseDatabase(DataSource dataSource, Consumer<FluentConfiguration> migrations, boolean notifySynapseDatabase,
                            ConnectionSource dedicatedConnections, boolean listensThroughPool, AutoCloseable ownedPool) {
        this.dataSource = dataSource;
        this.dialect = SqlDialect.of(dataSource);
        this.features = prepareSchema(dataSource, migrations, dialect, notifySynapseDatabase);
        this.dedicatedConnections = dedicatedConnections;
        if (features.toldOfChanges() && listensThroughPool) {
            LOG.warn("auth_cache.listen_url is not set: the change listener holds one connection of the given pool for as"
                    + " long as it runs, with that pool's timeouts; set it for a connection of its own");
        }
        this.jdbi = watched(dialect == SqlDialect.POSTGRESQL ? PostgresTimeouts.REQUEST_READ_MS : 0);
        this.backgroundJdbi = watched(0);
        this.ownedPool = ownedPool;
    }

    private Jdbi watched(int readTimeoutMs) {
        WatchedConnections connections = new WatchedConnections(dataSource, availability, readTimeoutMs);
        Jdbi watched = Jdbi.create(connections).installPlugin(new SqlObjectPlugin()).setSqlLogger(connections);
        // TOK-7 reads users.locked where the schema has it; SQL names it <users_locked>.
        watched.define("users_locked", features.usersLocked() ? "u.locked" : "FALSE");
        return watched;
    }

    /**
     * Opens the filter's own pool.
     *
     * @param notifySynapseDatabase put the change-notification triggers on a database Synapse manages
     * @param listenUrl where the change listener connects ({@code auth_cache.listen_url}); null: the pool's URL
     * @throws IllegalStateException when the database cannot be reached or lacks what the filter reads
     */
    public static SynapseDatabase open(PoolSettings settings, boolean notifySynapseDatabase, String listenUrl) {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(settings.jdbcUrl());
        String driverClass = SqlDialect.driverClassFor(settings.jdbcUrl());
        if (driverClass != null) {
            pool.setDriverClassName(driverClass);
        }
        pool.setUsername(settings.user());
        pool.setPassword(settings.password());
        pool.setMinimumIdle(settings.minIdle());
        pool.setMaximumPoolSize(settings.maxPoolSize());
        pool.setPoolName("matrix-auth-filter");
        pool.setConnectionTimeout(POOL_WAIT_MS);
        pool.setValidationTimeout(POOL_VALIDATION_MS);
        if (POSTGRESQL_DRIVER.equals(driverClass)) {
            pool.setDataSourceProperties(PostgresTimeouts.requestPool());
        }
        HikariDataSource dataSource = new HikariDataSource(pool);
        ConnectionSource dedicated = listenUrl != null
                ? () -> connect(listenUrl, null, null, POSTGRESQL_DRIVER)
                : () -> connect(settings.jdbcUrl(), settings.user(), settings.password(), driverClass);
        try {
            return new SynapseDatabase(dataSource,
                    flyway -> flyway.dataSource(settings.jdbcUrl(), settings.user(), settings.password()),
                    notifySynapseDatabase, dedicated, false, dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /** Opens a pool on the URL (for tests and tools). */
    public static SynapseDatabase open(String jdbcUrl, int maxPoolSize) {
        return open(new PoolSettings(jdbcUrl, null, null, 1, maxPoolSize), false, null);
    }

    /**
     * Uses a data source the caller owns (and closes): the application's, or the container's.
     * Without {@code listenUrl} the change listener borrows one of its connections for good (a
     * warning says so at start-up): the pool is not the filter's, so neither are its timeouts.
     */
    public static SynapseDatabase open(DataSource dataSource, boolean notifySynapseDatabase, String listenUrl) {
        ConnectionSource dedicated = listenUrl != null
                ? () -> connect(listenUrl, null, null, POSTGRESQL_DRIVER)
                : dataSource::getConnection;
        return new SynapseDatabase(dataSource, flyway -> flyway.dataSource(dataSource), notifySynapseDatabase,
                dedicated, listenUrl == null, () -> {});
    }

    /** Uses the container's pool, bound under this JNDI name. */
    public static SynapseDatabase openJndi(String jndiName, boolean notifySynapseDatabase, String listenUrl) {
        return open(lookUp(jndiName), notifySynapseDatabase, listenUrl);
    }

    /**
     * A connection outside the pool, through the driver itself (DriverManager cannot see a war's
     * drivers), named in pg_stat_activity and bounded in time ({@link PostgresTimeouts#listener()}).
     */
    private static Connection connect(String jdbcUrl, String user, String password, String driverClass)
            throws SQLException {
        if (driverClass == null) {
            return DriverManager.getConnection(jdbcUrl, user, password);
        }
        boolean postgres = POSTGRESQL_DRIVER.equals(driverClass);
        Properties properties = postgres ? PostgresTimeouts.listener() : new Properties();
        if (postgres) {
            properties.setProperty("ApplicationName", DEDICATED_CONNECTION_NAME);
        }
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        try {
            Driver driver = (Driver) Class.forName(driverClass).getDeclaredConstructor().newInstance();
            return driver.connect(jdbcUrl, properties);
        } catch (ReflectiveOperationException e) {
            throw new SQLException("cannot load " + driverClass, e);
        }
    }

    private static DataSource lookUp(String jndiName) {
        try {
            return (DataSource) new InitialContext().lookup(jndiName);
        } catch (NamingException | ClassCastException e) {
            throw new IllegalStateException("no DataSource is bound to " + jndiName + ": " + e.getMessage(), e);
        }
    }

    private static SchemaFeatures prepareSchema(DataSource dataSource, Consumer<FluentConfiguration> migrations,
                                                SqlDialect dialect, boolean notifySynapseDatabase) {
        SchemaCheck schema = SchemaCheck.of(dataSource);
        if (!schema.managedBySynapse()) {
            migrate(migrations, dialect);
            return new SchemaFeatures(true, true, dialect == SqlDialect.POSTGRESQL, false);
        }
        if (!schema.missing().isEmpty()) {
            throw new IllegalStateException("the Synapse database lacks what the filter reads: "
                    + String.join(", ", schema.missing()));
        }
        boolean notifications = notifySynapseDatabase && dialect == SqlDialect.POSTGRESQL;
        if (notifications) {
            installChangeNotifications(dataSource);
        }
        SchemaFeatures features = schema.features(notifications, dialect == SqlDialect.POSTGRESQL);
        LOG.info("Synapse manages this database: using it as it is, creating nothing{}",
                notifications ? " but the change-notification triggers (auth_cache.notify_synapse_database)"
                        : features.invalidationStream() ? "; following Synapse's own cache invalidation stream" : "");
        if (!features.usersLocked()) {
            LOG.info("users.locked is absent (Synapse before 1.91): locked users are not refused (TOK-7)");
        }
        if (!features.accountValidity()) {
            LOG.info("table account_validity is absent: account validity is not checked (TOK-9)");
        }
        return features;
    }

    /** CACHE-3 on a database Synapse manages: the same idempotent script the PostgreSQL migration runs. */
    private static void installChangeNotifications(DataSource dataSource) {
        try (InputStream in = SynapseDatabase.class.getResourceAsStream(CHANGE_NOTIFICATIONS);
                Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("cannot install the change-notification triggers: " + e.getMessage(), e);
        }
    }

    private static void migrate(Consumer<FluentConfiguration> migrations, SqlDialect dialect) {
        FluentConfiguration flyway = Flyway.configure()
                .locations(dialect.migrationLocations)
                .table(HISTORY_TABLE)
                .placeholders(Map.of("text", dialect.textType));
        migrations.accept(flyway);
        flyway.load().migrate();
    }

    public SchemaFeatures features() {
        return features;
    }

    /** A connection of its own, outside the request pool, for the change listener (CACHE-3). */
    public Connection openDedicatedConnection() throws SQLException {
        return dedicatedConnections.get();
    }

    @FunctionalInterface
    private interface ConnectionSource {
        Connection get() throws SQLException;
    }

    public TokenStore tokens() {
        return new JdbiTokenStore(jdbi);
    }

    public UserStore users() {
        return new JdbiUserStore(jdbi);
    }

    public DeviceStore devices() {
        return jdbi.onDemand(JdbiDeviceStore.class);
    }

    public ClientIpStore clientIps() {
        return new JdbiClientIpStore(backgroundJdbi, dialect);
    }

    public AccountStore accounts() {
        return new JdbiAccountStore(jdbi, new ChangePublisher(features.invalidationStream()));
    }

    public RefreshTokenStore refreshTokens() {
        return new JdbiRefreshTokenStore(jdbi, new ChangePublisher(features.invalidationStream()));
    }

    public MauStore monthlyActiveUsers() {
        return new JdbiMauStore(jdbi, dialect);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** The pool (or the caller's data source) the stores use. */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * A connection from the request pool answers: the database can be used again (also by
     * requests: {@link #availability()} is told). Waits as long as a request would.
     *
     * @throws IllegalStateException when the pool has no connection to give yet
     */
    public void checkConnection() {
        try (Connection connection = dataSource.getConnection()) {
            availability.answered();
        } catch (SQLException e) {
            throw new IllegalStateException("the request pool has no connection", e);
        }
    }

    /** OBS-5: whether the database answers, as requests and the probe find it. */
    public DatabaseAvailability availability() {
        return availability;
    }

    /**
     * OBS-5's probe: one round trip on a pool connection (the pool's wait for it, then
     * {@link DatabaseAvailability#PROBE_TIMEOUT_MS} for the answer on PostgreSQL), reported to
     * {@link #availability()}.
     */
    public void probe() {
        availability.probe(() -> {
            try (Connection connection = dataSource.getConnection()) {
                if (dialect == SqlDialect.POSTGRESQL) {
                    WatchedConnections.limitReads(connection, DatabaseAvailability.PROBE_TIMEOUT_MS);
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT 1");
                }
            }
        });
    }

    @Override
    public void close() throws Exception {
        ownedPool.close();
    }
}
