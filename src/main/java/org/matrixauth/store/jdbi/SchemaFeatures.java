package org.matrixauth.store.jdbi;

/**
 * Parts of Synapse's schema that later versions added, and whose features are off without them.
 *
 * @param usersLocked {@code users.locked} (TOK-7)
 * @param accountValidity table {@code account_validity} (TOK-9)
 */
public record SchemaFeatures(boolean usersLocked, boolean accountValidity) {
    public static final SchemaFeatures ALL = new SchemaFeatures(true, true);
}
