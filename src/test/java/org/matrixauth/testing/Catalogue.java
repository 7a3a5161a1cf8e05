package org.matrixauth.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A PostgreSQL database's schema as text: tables, columns, indexes, constraints, triggers, functions. */
public final class Catalogue {
    private static final List<String> QUERIES = List.of(
            "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' '"
                    + " || COALESCE(column_default, '') FROM information_schema.columns WHERE table_schema = 'public'",
            "SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public'",
            "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
                    + " WHERE connamespace = 'public'::regnamespace",
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal",
            "SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace",
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");

    private Catalogue() {}

    public static List<String> snapshot(String jdbcUrl) {
        List<String> lines = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl); Statement statement = connection.createStatement()) {
            for (String query : QUERIES) {
                try (ResultSet rs = statement.executeQuery(query + " ORDER BY 1")) {
                    while (rs.next()) {
                        lines.add(rs.getString(1));
                    }
                }
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return lines;
    }
}
