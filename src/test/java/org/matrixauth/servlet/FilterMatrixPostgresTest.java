package org.matrixauth.servlet;

import org.matrixauth.testing.DatabaseKind;

/** The servlet matrix on PostgreSQL, tables from the project's migrations. */
class FilterMatrixPostgresTest extends FilterMatrixTestCase {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }
}
