package org.matrixauth.store.jdbi;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The SQL that differs between the databases the stores run on: the column type for Synapse's
 * TEXT columns, upserts, and deletions that say what they removed. Everything else is written
 * once for both.
 */
enum SqlDialect {
    H2("jdbc:h2:", "org.h2.Driver", new String[] {"classpath:org/matrixauth/store/migration"}, "VARCHAR",
            "MERGE INTO user_ips (user_id, access_token, ip, user_agent, device_id, last_seen)"
                    + " KEY (user_id, access_token, ip)"
                    + " VALUES (:userId, :accessToken, :ip, :userAgent, :deviceId, :lastSeen)",
            "MERGE INTO monthly_active_users (user_id, \"timestamp\") KEY (user_id) VALUES (:userId, :timestamp)"),
    POSTGRESQL("jdbc:postgresql:", "org.postgresql.Driver",
            new String[] {"classpath:org/matrixauth/store/migration", "classpath:org/matrixauth/store/migration-postgresql"},
            "TEXT",
            "INSERT INTO user_ips (user_id, access_token, ip, user_agent, device_id, last_seen)"
                    + " VALUES (:userId, :accessToken, :ip, :userAgent, :deviceId, :lastSeen)"
                    + " ON CONFLICT (user_id, access_token, ip)"
                    + " DO UPDATE SET user_agent = EXCLUDED.user_agent, device_id = EXCLUDED.device_id,"
                    + " last_seen = EXCLUDED.last_seen",
            "INSERT INTO monthly_active_users (user_id, \"timestamp\") VALUES (:userId, :timestamp)"
                    + " ON CONFLICT (user_id) DO UPDATE SET \"timestamp\" = EXCLUDED.\"timestamp\"");

    private final String urlPrefix;
    /** Named for the pool, so a driver inside a war is found (DriverManager only knows the container's). */
    final String driverClass;
    /** The shared migrations, and PostgreSQL's own (the CACHE-3 triggers). */
    final String[] migrationLocations;
    /** Synapse's columns are TEXT; on H2 that is a CLOB, which cannot be indexed, so VARCHAR there. */
    final String textType;
    final String upsertUserIp;
    final String upsertMonthlyActiveUser;

    SqlDialect(String urlPrefix, String driverClass, String[] migrationLocations, String textType, String upsertUserIp,
               String upsertMonthlyActiveUser) {
        this.urlPrefix = urlPrefix;
        this.driverClass = driverClass;
        this.migrationLocations = migrationLocations;
        this.textType = textType;
        this.upsertUserIp = upsertUserIp;
        this.upsertMonthlyActiveUser = upsertMonthlyActiveUser;
    }

    /** @return the driver class for the URL's database, or null for one this project does not know */
    static String driverClassFor(String jdbcUrl) {
        for (SqlDialect dialect : values()) {
            if (jdbcUrl.startsWith(dialect.urlPrefix)) {
                return dialect.driverClass;
            }
        }
        return null;
    }

    /**
     * A query giving the {@code user_id} of each row the DELETE removes, so that MAU-2's reaping
     * forgets exactly those users: PostgreSQL's {@code RETURNING}, H2's data change delta table.
     */
    String deletedUserIds(String delete) {
        return switch (this) {
            case H2 -> "SELECT user_id FROM OLD TABLE (" + delete + ")";
            case POSTGRESQL -> delete + " RETURNING user_id";
        };
    }

    static SqlDialect of(DataSource dataSource) {
        String product;
        try (Connection connection = dataSource.getConnection()) {
            product = connection.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to the database: " + e.getMessage(), e);
        }
        return switch (product) {
            case "H2" -> H2;
            case "PostgreSQL" -> POSTGRESQL;
            default -> throw new IllegalStateException("unsupported database " + product + " (H2 or PostgreSQL)");
        };
    }
}
