package org.matrixauth.testing;

import java.util.function.Supplier;

/** The databases the filter runs on, for tests that run on each. */
public enum DatabaseKind {
    /** Embedded H2, tables from the project's migrations. */
    H2(TestDatabase::h2),
    /** PostgreSQL, tables from the project's migrations. */
    POSTGRESQL(TestDatabase::postgres),
    /** PostgreSQL holding the schema Synapse 1.50 created: nothing may be created or altered. */
    SYNAPSE_1_50(TestDatabase::synapse150);

    private final Supplier<TestDatabase> factory;

    DatabaseKind(Supplier<TestDatabase> factory) {
        this.factory = factory;
    }

    public TestDatabase create() {
        return factory.get();
    }
}
