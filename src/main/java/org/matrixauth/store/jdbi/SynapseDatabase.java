package org.matrixauth.store.jdbi;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Map;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.matrixauth.config.DatabaseConfig;
import org.matrixauth.store.ClientIpStore;
import org.matrixauth.store.DeviceStore;
import org.matrixauth.store.MauStore;
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
    /** Kept apart from Synapse's own bookkeeping tables. */
    static final String HISTORY_TABLE = "matrix_auth_filter_schema_history";
    private static final Logger LOG = LoggerFactory.getLogger(SynapseDatabase.class);

    private final Jdbi jdbi;
    private final SqlDialect dialect;
    private final SchemaFeatures features;
    private final AutoCloseable ownedPool;

    /**
     * @param migrations how Flyway connects: beside the pool where there is a URL, since Flyway
     *     wants two connections at once and an operator's {@code cp_max} may be 1
     */
    private SynapseDatabase(DataSource dataSource, Consumer<FluentConfiguration> migrations, AutoCloseable ownedPool) {
        this.dialect = SqlDialect.of(dataSource);
        this.features = prepareSchema(dataSource, migrations, dialect);
        this.jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
        // TOK-7 reads users.locked where the schema has it; SQL names it <users_locked>.
        jdbi.define("users_locked", features.usersLocked() ? "u.locked" : "FALSE");
        this.ownedPool = ownedPool;
    }

    /** @throws IllegalStateException when the database cannot be reached or lacks what the filter reads */
    public static SynapseDatabase open(DatabaseConfig config) {
        if (config.jndiName() != null) {
            return open(lookUp(config.jndiName()));
        }
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(config.jdbcUrl());
        String driverClass = SqlDialect.driverClassFor(config.jdbcUrl());
        if (driverClass != null) {
            pool.setDriverClassName(driverClass);
        }
        pool.setUsername(config.user());
        pool.setPassword(config.password());
        pool.setMinimumIdle(config.minIdle());
        pool.setMaximumPoolSize(config.maxPoolSize());
        pool.setPoolName("matrix-auth-filter");
        HikariDataSource dataSource = new HikariDataSource(pool);
        try {
            return new SynapseDatabase(dataSource,
                    flyway -> flyway.dataSource(config.jdbcUrl(), config.user(), config.password()), dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /** Opens a pool on the URL (for tests and tools). */
    public static SynapseDatabase open(String jdbcUrl, int maxPoolSize) {
        return open(new DatabaseConfig(jdbcUrl, null, null, null, 1, maxPoolSize));
    }

    /** Uses a data source the caller owns (and closes), such as a container's JNDI one. */
    public static SynapseDatabase open(DataSource dataSource) {
        return new SynapseDatabase(dataSource, flyway -> flyway.dataSource(dataSource), () -> {});
    }

    private static DataSource lookUp(String jndiName) {
        try {
            return (DataSource) new InitialContext().lookup(jndiName);
        } catch (NamingException | ClassCastException e) {
            throw new IllegalStateException("no DataSource is bound to " + jndiName + ": " + e.getMessage(), e);
        }
    }

    private static SchemaFeatures prepareSchema(DataSource dataSource, Consumer<FluentConfiguration> migrations,
                                                SqlDialect dialect) {
        SchemaCheck schema = SchemaCheck.of(dataSource);
        if (!schema.managedBySynapse()) {
            migrate(migrations, dialect);
            return SchemaFeatures.ALL;
        }
        if (!schema.missing().isEmpty()) {
            throw new IllegalStateException("the Synapse database lacks what the filter reads: "
                    + String.join(", ", schema.missing()));
        }
        SchemaFeatures features = schema.features();
        LOG.info("Synapse manages this database: using it as it is, creating nothing");
        if (!features.usersLocked()) {
            LOG.info("users.locked is absent (Synapse before 1.91): locked users are not refused (TOK-7)");
        }
        if (!features.accountValidity()) {
            LOG.info("table account_validity is absent: account validity is not checked (TOK-9)");
        }
        return features;
    }

    private static void migrate(Consumer<FluentConfiguration> migrations, SqlDialect dialect) {
        FluentConfiguration flyway = Flyway.configure()
                .locations("classpath:org/matrixauth/store/migration")
                .table(HISTORY_TABLE)
                .placeholders(Map.of("text", dialect.textType));
        migrations.accept(flyway);
        flyway.load().migrate();
    }

    public SchemaFeatures features() {
        return features;
    }

    public TokenStore tokens() {
        return jdbi.onDemand(JdbiTokenStore.class);
    }

    public UserStore users() {
        return jdbi.onDemand(JdbiUserStore.class);
    }

    public DeviceStore devices() {
        return jdbi.onDemand(JdbiDeviceStore.class);
    }

    public ClientIpStore clientIps() {
        return new JdbiClientIpStore(jdbi, dialect);
    }

    public MauStore monthlyActiveUsers() {
        return new JdbiMauStore(jdbi, dialect);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    @Override
    public void close() throws Exception {
        ownedPool.close();
    }
}
