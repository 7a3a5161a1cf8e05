package org.matrixauth.example;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** What a test reads back from the homeserver's database, on a connection of its own. */
final class DatabaseRows {
    private DatabaseRows() {}

    /** The first column of the first row, or null when there is no row. */
    static Object value(String jdbcUrl, String sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getObject(1) : null;
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
    }

    /** The first column of every row. */
    static List<Object> column(String jdbcUrl, String sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<Object> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getObject(1));
            }
            return values;
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
    }

    static long count(String jdbcUrl, String sql) {
        return ((Number) value(jdbcUrl, sql)).longValue();
    }
}
