package org.matrixauth.example;

import org.matrixauth.Accounts;

/**
 * Synapse's {@code deactivate_account} and {@code activate_account}, as far as this homeserver
 * keeps data (no rooms, pushers or keys): shared by the admin API and MAS's provisioning API.
 */
final class Deactivation {
    private final Accounts accounts;
    private final HomeserverStore store;
    private final Threepids threepids;
    private final Profiles profiles;

    Deactivation(Accounts accounts, HomeserverStore store, Threepids threepids, Profiles profiles) {
        this.accounts = accounts;
        this.store = store;
        this.threepids = threepids;
        this.profiles = profiles;
    }

    /**
     * The tokens and devices go first, through the library, so the user's sessions end at once on
     * every node (CACHE-2, CACHE-3); then the threepids and the password, and with {@code erase}
     * the profile.
     */
    void deactivate(String userId, boolean erase) {
        accounts.deactivate(userId);
        threepids.deleteAll(userId);
        store.setPasswordHash(userId, null);
        if (erase) {
            profiles.delete(userId);
        }
    }

    /** Active again, with a profile (an erasure deleted it); no password, threepids or devices come back. */
    void reactivate(String userId) {
        profiles.ensure(userId);
        accounts.reactivate(userId);
    }
}
