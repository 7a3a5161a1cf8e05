package org.matrixauth.store.jdbi;

/**
 * Parts of the schema whose features are off without them.
 *
 * @param usersLocked {@code users.locked}, which Synapse added after 1.50 (TOK-7)
 * @param accountValidity table {@code account_validity} (TOK-9)
 * @param changeNotifications the PostgreSQL triggers that publish changes to cached rows (CACHE-3)
 * @param invalidationStream no triggers, but Synapse's own {@code cache_invalidation_stream_by_instance}
 *     to follow (CACHE-5): Synapse manages the database on PostgreSQL
 */
public record SchemaFeatures(boolean usersLocked, boolean accountValidity, boolean changeNotifications,
                             boolean invalidationStream) {
    /** Whether a listener learns of changes, either way (CACHE-3). */
    public boolean toldOfChanges() {
        return changeNotifications || invalidationStream;
    }
}
