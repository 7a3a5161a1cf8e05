package org.matrixauth.testing;

import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.matrixauth.store.jdbi.SynapseDatabase;

/**
 * A test's own database: a fresh {@link TestDatabase} of one {@link DatabaseKind} and a
 * {@link SynapseDatabase} pool on it (which gives it Synapse's tables), opened before each test
 * and closed after it, pool first, even when the test or its set-up failed (a PostgreSQL database
 * is dropped). Register it as an instance field:
 *
 * <pre>{@code
 * @Parameter DatabaseKind kind;
 * @RegisterExtension final DatabaseExtension db = DatabaseExtension.of(() -> kind);
 * }</pre>
 *
 * <p>The kind is a supplier because a {@code @ParameterizedClass} injects its {@code @Parameter}
 * fields after the instance (and so this field) is constructed, and before any
 * {@link BeforeEachCallback}; the kind is asked for only then. Its callbacks wrap the test's own
 * {@code @BeforeEach} and {@code @AfterEach} methods, which may therefore seed the database and
 * stop what runs on it.
 *
 * <p>Where JUnit calls it before all tests (a {@code static} field, or an instance field under
 * {@code @TestInstance(PER_CLASS)}), one database serves the whole class instead, around its
 * {@code @BeforeAll} and {@code @AfterAll} methods.
 */
public final class DatabaseExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    /**
     * A test seeds and reads from one thread at a time (BatchingClientIpRecorder's flushes too), and
     * the filter under test opens a pool of its own: two connections are plenty.
     */
    private static final int POOL_SIZE = 2;

    private final Supplier<DatabaseKind> kind;
    private boolean aroundClass;
    private TestDatabase testDatabase;
    private SynapseDatabase database;

    private DatabaseExtension(Supplier<DatabaseKind> kind) {
        this.kind = kind;
    }

    /** @param kind asked for as each test (or, around a class, the class) starts */
    public static DatabaseExtension of(Supplier<DatabaseKind> kind) {
        return new DatabaseExtension(kind);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        aroundClass = true;
        open();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!aroundClass) {
            open();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (!aroundClass) {
            close();
        }
    }

    private void open() {
        // Kept before the pool opens: JUnit calls afterEach even when beforeEach failed, and close() drops it.
        testDatabase = kind.get().create();
        database = SynapseDatabase.open(testDatabase.jdbcUrl(), POOL_SIZE);
    }

    /** The pool first, so that dropping a PostgreSQL database does not end connections it still holds. */
    private void close() throws Exception {
        try (TestDatabase dropped = testDatabase; SynapseDatabase closed = database) {
            testDatabase = null;
            database = null;
        }
    }

    public String jdbcUrl() {
        requireOpen();
        return testDatabase.jdbcUrl();
    }

    public boolean isPostgres() {
        requireOpen();
        return testDatabase.isPostgres();
    }

    /** The test's own pool on the database, with the DAOs the filter uses. */
    public SynapseDatabase database() {
        requireOpen();
        return database;
    }

    public Jdbi jdbi() {
        return database().jdbi();
    }

    /** Seeds rows the way Synapse writes them, through the test's own pool. */
    public SynapseRows rows() {
        return new SynapseRows(jdbi());
    }

    /** Runs statements on a connection of their own, neither the test's pool nor the filter's. */
    public void execute(String... statements) {
        requireOpen();
        testDatabase.execute(statements);
    }

    private void requireOpen() {
        if (database == null) {
            throw new IllegalStateException("the database is open only while a test runs");
        }
    }
}
