package org.matrixauth.macaroon;

import com.github.nitram509.jmacaroons.CaveatPacket;
import com.github.nitram509.jmacaroons.Macaroon;
import com.github.nitram509.jmacaroons.MacaroonsBuilder;
import com.github.nitram509.jmacaroons.MacaroonsVerifier;
import java.time.Clock;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies guest access tokens: macaroons in libmacaroons' v1 format, as pymacaroons writes
 * them, signed with {@code macaroon_secret_key} (SPEC MAC-1..3, MAC-6). Whether the user is
 * really a guest (MAC-4) is for the caller, who has the database.
 */
public final class GuestMacaroonVerifier {
    private static final String USER_ID = "user_id = ";
    private static final String TIME_BEFORE = "time < ";

    private final String secretKey;
    private final Clock clock;

    /** @param secretKey {@code macaroon_secret_key}; null turns guest macaroons off */
    public GuestMacaroonVerifier(String secretKey, Clock clock) {
        this.secretKey = secretKey;
        this.clock = clock;
    }

    /**
     * @return the guest's user id when the token is a guest macaroon whose signature and every
     *     caveat hold; empty for anything else, however malformed (MAC-6)
     */
    Optional<String> guestUserId(String token) {
        return verify(token).filter(this::current).map(Guest::userId);
    }

    /**
     * The signature and every caveat but the time (MAC-1..3, MAC-6): what never changes for a
     * token, so it can be remembered; {@link #current} is asked on each use.
     *
     * @return the guest it names, or empty for anything else, however malformed
     */
    public Optional<Guest> verify(String token) {
        if (secretKey == null) {
            return Optional.empty();
        }
        Macaroon macaroon = parse(token);
        if (macaroon == null) {
            return Optional.empty();
        }
        Caveats caveats = readCaveats(macaroon);
        if (caveats == null || !caveats.guest || caveats.userIds.size() != 1 || !signatureHolds(macaroon)) {
            return Optional.empty();
        }
        return Optional.of(new Guest(caveats.userIds.iterator().next(), caveats.expiresAtMs));
    }

    /** MAC-2's {@code time < } caveats: all of them hold now. */
    public boolean current(Guest guest) {
        return clock.millis() < guest.expiresAtMs();
    }

    /**
     * A verified guest macaroon.
     *
     * @param expiresAtMs the earliest of its {@code time < } caveats, {@link Long#MAX_VALUE} without one
     */
    public record Guest(String userId, long expiresAtMs) {}

    private static Macaroon parse(String token) {
        try {
            return MacaroonsBuilder.deserialize(token);
        } catch (RuntimeException | AssertionError e) {
            // jmacaroons throws AssertionError on "" and NegativeArraySizeException on v2 input.
            return null;
        }
    }

    private boolean signatureHolds(Macaroon macaroon) {
        try {
            // Caveats were judged by readCaveats; the verifier is only asked about the signature chain.
            return new MacaroonsVerifier(macaroon).satisfyGeneral(caveat -> true).isValid(secretKey);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** MAC-2: every caveat must be one we know and hold; null when one does not. */
    private static Caveats readCaveats(Macaroon macaroon) {
        Caveats caveats = new Caveats();
        for (CaveatPacket packet : macaroon.caveatPackets) {
            if (packet.getType() != CaveatPacket.Type.cid) {
                return null; // third-party caveats (vid, cl) are never issued by Synapse
            }
            String caveat = packet.getValueAsText();
            if (caveat.startsWith(USER_ID)) {
                caveats.userIds.add(caveat.substring(USER_ID.length()));
            } else if (caveat.equals("guest = true")) {
                caveats.guest = true;
            } else if (caveat.startsWith(TIME_BEFORE)) {
                Long expiry = expiryMs(caveat.substring(TIME_BEFORE.length()));
                if (expiry == null) {
                    return null;
                }
                caveats.expiresAtMs = Math.min(caveats.expiresAtMs, expiry);
            } else if (!caveat.equals("gen = 1") && !caveat.equals("type = access") && !caveat.startsWith("nonce = ")) {
                return null;
            }
        }
        return caveats;
    }

    /** @return the caveat's time, or null when it is not a number (the caveat cannot hold) */
    private static Long expiryMs(String expiryMs) {
        try {
            return Long.parseLong(expiryMs.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static final class Caveats {
        final Set<String> userIds = new HashSet<>();
        boolean guest;
        long expiresAtMs = Long.MAX_VALUE;
    }
}
