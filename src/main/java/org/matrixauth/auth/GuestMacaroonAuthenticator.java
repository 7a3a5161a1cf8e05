package org.matrixauth.auth;

import java.util.Optional;
import org.matrixauth.account.UserRecord;
import org.matrixauth.error.MatrixException;
import org.matrixauth.macaroon.GuestMacaroonVerifier;
import org.matrixauth.store.UserStore;

/** Guest macaroons, the one kind of token that lives outside the database (SPEC MAC-1..6). */
public final class GuestMacaroonAuthenticator implements TokenAuthenticator {
    /** MAC-5: the device a guest macaroon acts from. */
    public static final String GUEST_DEVICE_ID = "guest_device";

    private final GuestMacaroonVerifier macaroons;
    private final UserStore users;

    public GuestMacaroonAuthenticator(GuestMacaroonVerifier macaroons, UserStore users) {
        this.macaroons = macaroons;
        this.users = users;
    }

    /**
     * Not mine unless it verifies as a guest macaroon (MAC-1..3, MAC-6; then no kind claims it and
     * the answer is TOK-2's); mine but refused when it names no registered guest (MAC-4).
     */
    @Override
    public Optional<Requester> authenticate(String token, ClientRequest request) {
        return macaroons.guestUserId(token).map(this::registeredGuest);
    }

    /** An HMAC chain for every string that could be a macaroon. */
    @Override
    public boolean costsIo(String token) {
        return true;
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
