package org.matrixauth.example;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import org.jdbi.v3.core.Jdbi;

/**
 * Whether the database has a table or column that only some of the databases the example runs on
 * have: a Synapse database of one version or another, or the filter's own. Asked once, at start.
 */
final class SchemaProbe {
    private SchemaProbe() {}

    static boolean hasTable(Jdbi jdbi, String table) {
        return hasColumn(jdbi, table, "%");
    }

    static boolean hasColumn(Jdbi jdbi, String table, String column) {
        try {
            return jdbi.withHandle(h -> {
                DatabaseMetaData metadata = h.getConnection().getMetaData();
                // H2 keeps unquoted names upper-cased, PostgreSQL lower-cased.
                boolean upper = metadata.storesUpperCaseIdentifiers();
                try (ResultSet columns = metadata.getColumns(null, h.getConnection().getSchema(), stored(table, upper),
                        stored(column, upper))) {
                    return columns.next();
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database's tables", e);
        }
    }

    private static String stored(String name, boolean upper) {
        return upper ? name.toUpperCase(Locale.ROOT) : name;
    }
}
