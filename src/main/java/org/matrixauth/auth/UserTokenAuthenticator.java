package org.matrixauth.auth;

import java.time.Clock;
import java.util.Map;
import java.util.OptionalLong;
import org.matrixauth.error.MatrixException;
import org.matrixauth.macaroon.GuestMacaroonVerifier;
import org.matrixauth.store.TokenLookup;
import org.matrixauth.store.TokenStore;
import org.matrixauth.store.UserRecord;
import org.matrixauth.store.UserStore;

/** Requests made with a user's access token or a guest macaroon (SPEC TOK-1..9, MAC-4, MAC-5). */
public final class UserTokenAuthenticator {
    /** MAC-5: the device a guest macaroon acts from. */
    public static final String GUEST_DEVICE_ID = "guest_device";

    private final TokenStore tokens;
    private final UserStore users;
    private final GuestMacaroonVerifier macaroons;
    private final boolean accountValidityEnabled;
    private final Clock clock;

    public UserTokenAuthenticator(
            TokenStore tokens,
            UserStore users,
            GuestMacaroonVerifier macaroons,
            boolean accountValidityEnabled,
            Clock clock) {
        this.tokens = tokens;
        this.users = users;
        this.macaroons = macaroons;
        this.accountValidityEnabled = accountValidityEnabled;
        this.clock = clock;
    }

    /**
     * Synapse's {@code get_user_by_access_token}: the database first (TOK-1), then a guest
     * macaroon (TOK-2, MAC-1..4); expired tokens refused unless allowed (TOK-3).
     */
    public TokenLookup lookup(String token, boolean allowExpired) {
        TokenLookup lookup = tokens.findByToken(token).orElseGet(() -> guestLookup(token));
        if (!allowExpired && lookup.validUntilMs() != null && lookup.validUntilMs() < clock.millis()) {
            throw MatrixException.unknownToken("Access token has expired", true);
        }
        return lookup;
    }

    /**
     * Resolves the requester and applies the checks after the lookup: locked (TOK-7), account
     * validity (TOK-9), guests (TOK-5), and marks a fresh token used (TOK-6).
     *
     * @param beforeGuestCheck TOK-5 refuses guests only after their request has been recorded
     */
    public Requester authenticate(String token, AuthOptions options, LookupListener beforeGuestCheck) {
        TokenLookup lookup = lookup(token, options.allowExpired());
        if (lookup.locked() && !options.allowLocked()) {
            throw new MatrixException(401, "M_USER_LOCKED", "User account has been locked", Map.of("soft_logout", true));
        }
        if (accountValidityEnabled && !options.allowExpired() && isAccountExpired(lookup.userId())) {
            throw new MatrixException(403, "ORG_MATRIX_EXPIRED_ACCOUNT", "User account has expired");
        }
        beforeGuestCheck.onLookup(token, lookup);
        if (lookup.isGuest() && !options.allowGuest()) {
            throw new MatrixException(403, "M_GUEST_ACCESS_FORBIDDEN", "Guest access not allowed");
        }
        if (!lookup.used() && lookup.tokenId() != null) {
            tokens.markUsed(token, lookup.tokenId());
        }
        return new Requester(lookup.userId(), lookup.tokenId(), lookup.deviceId(), lookup.isGuest(),
                lookup.shadowBanned(), null, lookup.tokenOwner());
    }

    private boolean isAccountExpired(String userId) {
        OptionalLong expiresAt = users.accountExpiresAt(userId);
        return expiresAt.isPresent() && expiresAt.getAsLong() < clock.millis();
    }

    /** MAC-3, MAC-4, MAC-5: a token outside the database is only ever a registered guest's macaroon. */
    private TokenLookup guestLookup(String token) {
        String userId = macaroons.guestUserId(token).orElseThrow(MatrixException::unrecognisedToken);
        UserRecord user = users.findUser(userId).filter(UserRecord::isGuest).orElseThrow(MatrixException::unrecognisedToken);
        return new TokenLookup(userId, userId, null, GUEST_DEVICE_ID, null, true, true, user.shadowBanned(), user.locked());
    }

    /** Told of every resolved token before the guest check (TRK-1 records it there). */
    @FunctionalInterface
    public interface LookupListener {
        void onLookup(String token, TokenLookup lookup);
    }
}
