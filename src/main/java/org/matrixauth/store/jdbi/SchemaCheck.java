package org.matrixauth.store.jdbi;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * What a database already holds (SPEC section 10): whether Synapse manages it (its
 * {@code schema_version} table is there and the filter's own migration history is not), and
 * whether the tables and columns the filter reads are all present. Later additions to Synapse's
 * schema are optional: without them their feature is off.
 */
final class SchemaCheck {
    /** Every table and column the filter reads or writes, as Synapse 1.50 has them. */
    static final Map<String, List<String>> REQUIRED = Map.of(
            "users", List.of("name", "creation_ts", "admin", "is_guest", "appservice_id", "user_type", "deactivated",
                    "shadow_banned"),
            "access_tokens", List.of("id", "user_id", "device_id", "token", "valid_until_ms", "puppets_user_id", "used",
                    "refresh_token_id", "last_validated"),
            "refresh_tokens", List.of("id", "user_id", "device_id", "token", "next_token_id", "expiry_ts",
                    "ultimate_session_expiry_ts"),
            "devices", List.of("user_id", "device_id", "last_seen", "ip", "user_agent"),
            "user_ips", List.of("user_id", "access_token", "device_id", "ip", "user_agent", "last_seen"),
            "monthly_active_users", List.of("user_id", "timestamp"),
            "user_threepids", List.of("user_id", "medium", "address"));

    private final Map<String, Set<String>> columnsByTable;

    private SchemaCheck(Map<String, Set<String>> columnsByTable) {
        this.columnsByTable = columnsByTable;
    }

    /** Reads the catalogue of the connection's current schema. */
    static SchemaCheck of(DataSource dataSource) {
        Map<String, Set<String>> columns = new HashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData metaData = connection.getMetaData();
            try (ResultSet rs = metaData.getColumns(connection.getCatalog(), connection.getSchema(), "%", "%")) {
                while (rs.next()) {
                    columns.computeIfAbsent(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT), t -> new HashSet<>())
                            .add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database catalogue: " + e.getMessage(), e);
        }
        return new SchemaCheck(columns);
    }

    boolean hasTable(String table) {
        return columnsByTable.containsKey(table);
    }

    boolean hasColumn(String table, String column) {
        return columnsByTable.getOrDefault(table, Set.of()).contains(column);
    }

    /** Synapse's own bookkeeping is there and the filter's is not: leave the schema alone. */
    boolean managedBySynapse() {
        return hasTable("schema_version") && !hasTable(SynapseDatabase.HISTORY_TABLE);
    }

    /** @return "table x" and "column x.y" for everything required that is absent, in a stable order */
    List<String> missing() {
        List<String> missing = new ArrayList<>();
        REQUIRED.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            if (!hasTable(entry.getKey())) {
                missing.add("table " + entry.getKey());
                return;
            }
            for (String column : entry.getValue()) {
                if (!hasColumn(entry.getKey(), column)) {
                    missing.add("column " + entry.getKey() + "." + column);
                }
            }
        });
        return missing;
    }

    /** What the schema supports beyond Synapse 1.50's required tables. */
    SchemaFeatures features(boolean changeNotifications, boolean postgres) {
        return new SchemaFeatures(hasColumn("users", "locked"),
                hasColumn("account_validity", "user_id") && hasColumn("account_validity", "expiration_ts_ms"),
                changeNotifications,
                !changeNotifications && postgres && hasColumn("cache_invalidation_stream_by_instance", "cache_func"));
    }
}
