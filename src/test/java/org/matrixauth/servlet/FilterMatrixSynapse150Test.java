package org.matrixauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.matrixauth.testing.Catalogue;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.TestDatabase;

/**
 * The servlet matrix on the schema Synapse 1.50 created on PostgreSQL, with rows written the way
 * Synapse writes them: the filter runs on it as it is, and afterwards its catalogue is exactly
 * what it was before (SPEC section 10).
 */
class FilterMatrixSynapse150Test extends FilterMatrixTestCase {
    private List<String> catalogueBefore;

    @Override
    DatabaseKind kind() {
        return DatabaseKind.SYNAPSE_1_50;
    }

    @BeforeAll
    void readCatalogueAfterStart() {
        // start() has loaded the schema, opened the filter and the test's own connection pool.
        catalogueBefore = Catalogue.snapshot(db.jdbcUrl());
    }

    @Test
    void synapseSchemaIsUsedWithoutTheFilterOwnMigrations() {
        assertFalse(Catalogue.snapshot(db.jdbcUrl()).stream().anyMatch(line -> line.contains("matrix_auth")));
        assertFalse(locking(), "Synapse 1.50 has no users.locked");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void catalogueIsUnchangedByTheWholeMatrix() {
        server.close(); // flushes the client IPs the matrix recorded
        assertEquals(catalogueBefore, Catalogue.snapshot(db.jdbcUrl()));
        assertEquals(loadedSchema(), catalogueBefore, "neither opening the filter nor the matrix changed the schema");
    }

    /** The catalogue of the fixture as loaded, with nobody else touching it. */
    private static List<String> loadedSchema() {
        try (TestDatabase fresh = TestDatabase.synapse150()) {
            return Catalogue.snapshot(fresh.jdbcUrl());
        }
    }
}
