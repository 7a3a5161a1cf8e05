package org.matrixauth.error;

import java.sql.SQLException;

/** How a failure inside the server is logged (ERR-3). */
public final class Failures {
    private Failures() {}

    /**
     * Exception classes and SQL states along the cause chain: enough to diagnose, and never a
     * message, since JDBI's carry the statement's arguments (the token among them).
     */
    public static String describe(Throwable error) {
        StringBuilder description = new StringBuilder();
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (description.length() > 0) {
                description.append(" <- ");
            }
            description.append(cause.getClass().getName());
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                description.append(" (SQL state ").append(sql.getSQLState()).append(')');
            }
        }
        return description.toString();
    }
}
