package org.matrixauth.servlet;

import org.matrixauth.testing.DatabaseKind;

/** The servlet matrix on embedded H2, tables from the project's migrations. */
class FilterMatrixH2Test extends FilterMatrixTestCase {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.H2;
    }
}
