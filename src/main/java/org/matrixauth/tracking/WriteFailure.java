package org.matrixauth.tracking;

import java.sql.SQLException;

/**
 * Why the database refused a write: for the rows' content (SQLState class 22, data exception,
 * or 23, integrity violation), which no retry can cure, or for anything else (connection lost,
 * pool exhausted, a table away), which a later flush may.
 */
final class WriteFailure {
    private WriteFailure() {}

    static boolean refusesContent(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && refusesContent(sql)) {
                return true;
            }
        }
        return false;
    }

    /** Batch errors name the statement's own error as their next exception. */
    private static boolean refusesContent(SQLException sql) {
        for (SQLException each = sql; each != null; each = each.getNextException()) {
            String state = each.getSQLState();
            if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                return true;
            }
        }
        return false;
    }
}
