package org.matrixauth.auth;

import java.time.Clock;
import java.util.Map;
import java.util.OptionalLong;
import org.matrixauth.error.Errcode;
import org.matrixauth.error.MatrixException;
import org.matrixauth.store.UserStore;

/**
 * The checks that depend on the route rather than on the token's kind, in Synapse's order: the
 * ones made before the request is recorded (TOK-3, TOK-7, TOK-9), the one made after it (TOK-5),
 * and what the route requires once the token is accepted (REQ-2's admin, BLK).
 */
public final class RequestPolicy {
    private final UserStore users;
    private final AuthBlocking authBlocking;
    private final boolean accountValidityEnabled;
    private final Clock clock;

    /** @param accountValidityEnabled {@code account_validity.enabled}, and the database has the table */
    public RequestPolicy(UserStore users, AuthBlocking authBlocking, boolean accountValidityEnabled, Clock clock) {
        this.users = users;
        this.authBlocking = authBlocking;
        this.accountValidityEnabled = accountValidityEnabled;
        this.clock = clock;
    }

    /** TOK-3, TOK-7, TOK-9 (application services skip the last two). */
    void beforeRecording(Requester requester, AuthOptions options) {
        Long validUntil = requester.tokenValidUntilMs();
        if (!options.allowExpired() && validUntil != null && validUntil < clock.millis()) {
            throw MatrixException.unknownToken("Access token has expired", true);
        }
        if (requester.isAppService()) {
            return;
        }
        if (requester.isLocked() && !options.allowLocked()) {
            throw MatrixException.userLocked();
        }
        if (accountValidityEnabled && !options.allowExpired() && isAccountExpired(requester.userId())) {
            throw new MatrixException(403, Errcode.ORG_MATRIX_EXPIRED_ACCOUNT, "User account has expired");
        }
    }

    /** TOK-5: guests are refused only once their request has been recorded, as Synapse does. */
    void afterRecording(Requester requester, AuthOptions options) {
        if (requester.isGuest() && !options.allowGuest()) {
            throw new MatrixException(403, Errcode.M_GUEST_ACCESS_FORBIDDEN, "Guest access not allowed");
        }
    }

    /** REQ-2: the route's admin requirement; BLK: the route's auth blocking. */
    void routeRequirements(Requester requester, AuthOptions options) {
        if (options.requireAdmin() && !requester.isServerAdmin()) {
            throw MatrixException.forbidden("You are not a server admin");
        }
        if (options.authBlocking()) {
            authBlocking.check(requester);
        }
    }

    private boolean isAccountExpired(String userId) {
        OptionalLong expiresAt = users.accountExpiresAt(userId);
        return expiresAt.isPresent() && expiresAt.getAsLong() < clock.millis();
    }
}
