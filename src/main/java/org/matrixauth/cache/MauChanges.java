package org.matrixauth.cache;

/**
 * What the MAU caches, kept by {@code tracking} apart from these, drop when Synapse changes
 * {@code monthly_active_users} (CACHE-5): told by the invalidation stream.
 */
public interface MauChanges {
    /** The user's row was written or removed. */
    void userChanged(String userId);

    /** Rows were reaped or rewritten wholesale. */
    void allChanged();

    /** The count changed. */
    void countChanged();
}
