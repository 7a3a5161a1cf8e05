package org.matrixauth.testing;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every row of every table of a database, to compare before and after something that must not
 * write (or may write only certain rows), when the writer is another process and its statements
 * cannot be watched.
 *
 * @param tables table name (lower case) to its rows, each column name (lower case) to its value as text
 */
public record DatabaseSnapshot(Map<String, Set<Map<String, String>>> tables) {

    /** A row that is in one snapshot and not in the other. */
    public record RowChange(String table, boolean added, Map<String, String> row) {}

    public static DatabaseSnapshot take(String jdbcUrl) {
        Map<String, Set<Map<String, String>>> tables = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl)) {
            DatabaseMetaData meta = connection.getMetaData();
            String schema = connection.getSchema();
            List<String> names = new ArrayList<>();
            try (ResultSet result = meta.getTables(null, schema, "%", new String[] {"TABLE"})) {
                while (result.next()) {
                    names.add(result.getString("TABLE_NAME"));
                }
            }
            for (String name : names) {
                tables.put(name.toLowerCase(), rows(connection, name));
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return new DatabaseSnapshot(tables);
    }

    private static Set<Map<String, String>> rows(Connection connection, String table) throws SQLException {
        Set<Map<String, String>> rows = new HashSet<>();
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT * FROM \"" + table + "\"")) {
            ResultSetMetaData columns = result.getMetaData();
            while (result.next()) {
                Map<String, String> row = new TreeMap<>();
                for (int i = 1; i <= columns.getColumnCount(); i++) {
                    row.put(columns.getColumnLabel(i).toLowerCase(), result.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** The rows added and removed since {@code before}, table by table. */
    public List<RowChange> changesSince(DatabaseSnapshot before) {
        List<RowChange> changes = new ArrayList<>();
        Set<String> names = new HashSet<>(tables.keySet());
        names.addAll(before.tables.keySet());
        for (String table : names) {
            Set<Map<String, String>> now = tables.getOrDefault(table, Set.of());
            Set<Map<String, String>> then = before.tables.getOrDefault(table, Set.of());
            now.stream().filter(row -> !then.contains(row)).forEach(row -> changes.add(new RowChange(table, true, row)));
            then.stream().filter(row -> !now.contains(row)).forEach(row -> changes.add(new RowChange(table, false, row)));
        }
        return changes;
    }
}
