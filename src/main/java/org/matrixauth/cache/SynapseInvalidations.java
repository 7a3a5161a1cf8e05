package org.matrixauth.cache;

import java.util.Set;

/**
 * CACHE-5: what a row of Synapse's invalidation stream evicts here, by the Synapse cache function
 * it names ({@code cache_func}) and that function's arguments ({@code keys}; NULL: the whole cache).
 * The functions acted on, and which Synapse code writes each (1.50 and today alike, in
 * {@code synapse/storage/databases/main/}):
 * <ul>
 * <li>{@code get_user_by_access_token} [token]: {@code registration.py}'s token deletions (logout,
 *     logout/all, device deletion, deactivation, password change) and {@code set_shadow_banned} →
 *     that token;
 * <li>{@code get_user_by_id}, {@code get_user_deactivated_status}, {@code get_user_locked_status},
 *     {@code get_user_suspended_status}, {@code is_server_admin}, {@code is_guest} [user id]:
 *     {@code registration.py}'s changes of a user (admin flag, user type, deactivation, lock,
 *     suspension, shadow-ban, registration) → that user's cached rows and every token acting as or
 *     issued to them;
 * <li>{@code get_expiration_ts_for_user} [user id]: {@code set_account_validity_for_user} →
 *     that user's account validity (and, through the user, their tokens);
 * <li>{@code get_device} [user id, device id]: today's device deletions and updates → that device
 *     and its tokens;
 * <li>{@code user_last_seen_monthly_active} [user id, or NULL], {@code get_monthly_active_count}:
 *     {@code monthly_active_users.py}'s upserts and reaping → the MAU caches.
 * </ul>
 * Any other function (most of Synapse's: events, rooms, keys) is ignored. A row whose keys do not
 * have the shape named evicts everything of its kind rather than guess.
 */
final class SynapseInvalidations {
    private static final Set<String> USER_STATE = Set.of("get_user_by_id", "get_user_deactivated_status",
            "get_user_locked_status", "get_user_suspended_status", "is_server_admin", "is_guest",
            "get_expiration_ts_for_user");

    private final AuthCaches caches;
    private final MauChanges mau;

    SynapseInvalidations(AuthCaches caches, MauChanges mau) {
        this.caches = caches;
        this.mau = mau;
    }

    void apply(String cacheFunc, String[] keys) {
        if (cacheFunc.equals("get_user_by_access_token")) {
            if (keys != null && keys.length == 1) {
                caches.invalidateToken(keys[0]);
            } else {
                caches.invalidateAll();
            }
        } else if (USER_STATE.contains(cacheFunc)) {
            if (keys != null && keys.length == 1) {
                caches.invalidateUser(keys[0]);
            } else {
                caches.invalidateAll();
            }
        } else if (cacheFunc.equals("get_device")) {
            if (keys != null && keys.length == 2) {
                caches.invalidateDevice(keys[0], keys[1]);
            } else {
                caches.invalidateAll();
            }
        } else if (cacheFunc.equals("user_last_seen_monthly_active")) {
            if (keys != null && keys.length == 1) {
                mau.userChanged(keys[0]);
            } else {
                mau.allChanged();
            }
        } else if (cacheFunc.equals("get_monthly_active_count")) {
            mau.countChanged();
        }
    }
}
