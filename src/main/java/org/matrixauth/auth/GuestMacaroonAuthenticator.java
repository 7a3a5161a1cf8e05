package org.matrixauth.auth;

import com.github.benmanes.caffeine.cache.Cache;
import java.time.Clock;
import java.time.Duration;

import java.util.Optional;
import org.matrixauth.account.UserRecord;
import org.matrixauth.cache.CacheBuilders;
import org.matrixauth.error.MatrixException;
import org.matrixauth.macaroon.GuestMacaroonVerifier;
import org.matrixauth.store.UserStore;

/** Guest macaroons, the one kind of token that lives outside the database (SPEC MAC-1..6). */
public final class GuestMacaroonAuthenticator implements TokenAuthenticator {
    /** MAC-5: the device a guest macaroon acts from. */
    public static final String GUEST_DEVICE_ID = "guest_device";

    private final GuestMacaroonVerifier macaroons;
    private final UserStore users;
    /**
     * Guest macaroons verified within CACHE-4's bound: their HMAC chain is not computed again, and
     * {@code access_tokens} (where Synapse never stores one) is not asked about them again.
     */
    private final Cache<String, GuestMacaroonVerifier.Guest> recentlyVerified;

    /**
     * @param rememberFor how long a verified macaroon is known not to be a row of {@code access_tokens}:
     *     CACHE-4's bound for unknown tokens ({@code auth_cache.lifetime_without_notifications})
     * @param maxRemembered at most this many
     * @param clock what the remembering expires on
     */
    public GuestMacaroonAuthenticator(GuestMacaroonVerifier macaroons, UserStore users, Duration rememberFor,
                                      long maxRemembered, Clock clock) {
        this.macaroons = macaroons;
        this.users = users;
        this.recentlyVerified = CacheBuilders.newBuilder(clock).expireAfterWrite(rememberFor).maximumSize(maxRemembered).build();
    }

    /**
     * Not mine unless it verifies as a guest macaroon (MAC-1..3, MAC-6) whose time caveats hold
     * now (then no kind claims it and the answer is TOK-2's); mine but refused when it names no
     * registered guest (MAC-4).
     */
    @Override
    public Optional<Requester> authenticate(String token, ClientRequest request, CostlyCheckLimit limit) {
        GuestMacaroonVerifier.Guest guest = recentlyVerified.getIfPresent(token);
        if (guest == null) {
            limit.beforeCostlyCheck(); // any string may cost an HMAC chain
            guest = macaroons.verify(token).orElse(null);
            if (guest == null) {
                return Optional.empty();
            }
            recentlyVerified.put(token, guest);
        }
        return macaroons.current(guest) ? Optional.of(registeredGuest(guest.userId())) : Optional.empty();
    }

    /**
     * CACHE-4: the token verified as a guest macaroon within the bound, after {@code access_tokens}
     * was found not to hold it; the access-token kind need not ask the database about it again.
     */
    public boolean isRecentlyVerified(String token) {
        return recentlyVerified.asMap().containsKey(token);
    }

    private Requester registeredGuest(String userId) {
        UserRecord user = users.findUser(userId).filter(UserRecord::isGuest)
                .orElseThrow(MatrixException::unrecognisedToken);
        return Requester.guest(userId)
                .deviceId(GUEST_DEVICE_ID)
                .shadowBanned(user.shadowBanned())
                .serverAdmin(user.admin())
                .locked(user.locked())
                .build();
    }
}
