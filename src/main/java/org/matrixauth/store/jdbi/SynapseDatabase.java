package org.matrixauth.store.jdbi;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.matrixauth.store.ClientIpStore;
import org.matrixauth.store.DeviceStore;
import org.matrixauth.store.MauStore;
import org.matrixauth.store.TokenStore;
import org.matrixauth.store.UserStore;

/**
 * The database with Synapse's tables: a HikariCP pool, the schema migrations, and the DAOs.
 * The only class that knows how the stores are wired to JDBI.
 */
public final class SynapseDatabase implements AutoCloseable {
    /** Kept apart from Synapse's own bookkeeping tables. */
    static final String HISTORY_TABLE = "matrix_auth_filter_schema_history";

    private final Jdbi jdbi;
    private final SqlDialect dialect;
    private final AutoCloseable ownedPool;

    private SynapseDatabase(DataSource dataSource, SqlDialect dialect, AutoCloseable ownedPool) {
        this.jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
        this.dialect = dialect;
        this.ownedPool = ownedPool;
    }

    /** Opens a pool on the URL and creates Synapse's tables where they are missing. */
    public static SynapseDatabase open(String jdbcUrl, int maxPoolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(maxPoolSize);
        config.setPoolName("matrix-auth-filter");
        HikariDataSource pool = new HikariDataSource(config);
        try {
            return new SynapseDatabase(pool, migrate(pool), pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** Uses a data source the caller owns (and closes), such as a container's JNDI one. */
    public static SynapseDatabase open(DataSource dataSource) {
        return new SynapseDatabase(dataSource, migrate(dataSource), () -> {});
    }

    private static SqlDialect migrate(DataSource dataSource) {
        SqlDialect dialect = SqlDialect.of(dataSource);
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:org/matrixauth/store/migration")
                .table(HISTORY_TABLE)
                .placeholders(Map.of("text", dialect.textType))
                .load()
                .migrate();
        return dialect;
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
