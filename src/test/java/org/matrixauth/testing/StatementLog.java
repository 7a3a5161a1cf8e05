package org.matrixauth.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;

/** Records the SQL a JDBI instance executes, for tests that count statements. */
public final class StatementLog {
    private StatementLog() {}

    /** Every statement, on any thread. */
    public static List<String> attach(Jdbi jdbi) {
        return attach(jdbi, false);
    }

    /** Statements on request threads only: the filter's own background threads are left out. */
    public static List<String> attachToRequestThreads(Jdbi jdbi) {
        return attach(jdbi, true);
    }

    private static List<String> attach(Jdbi jdbi, boolean requestThreadsOnly) {
        List<String> statements = new CopyOnWriteArrayList<>();
        jdbi.setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext context) {
                if (!requestThreadsOnly || !Thread.currentThread().getName().startsWith("matrix-auth-filter")) {
                    statements.add(context.getRenderedSql());
                }
            }
        });
        return statements;
    }
}
